// Environment helpers of media_gen.h: temp dirs (running the CLI: cli_run.cpp).
#include <QDir>
#include <QTemporaryDir>

#include "support/media_gen.h"

namespace vfi::test {

TempDir::TempDir() {
    QString root = qEnvironmentVariable("VFI_TEST_TMP");
    if (root.isEmpty()) root = QDir::tempPath();
    QDir().mkpath(root);
    QTemporaryDir tmp(root + "/vfi-XXXXXX");
    if (!tmp.isValid()) return;
    tmp.setAutoRemove(false);
    m_path = tmp.path();
}

TempDir::~TempDir() {
    if (!m_path.isEmpty() && qEnvironmentVariableIsEmpty("VFI_KEEP_TEST_TMP")) QDir(m_path).removeRecursively();
}

std::string TempDir::file(const std::string& name) const { return (m_path + "/" + QString::fromStdString(name)).toStdString(); }

}  // namespace vfi::test
