// Shared by the tests/model suites: where the golden data lives (VFI_GOLDEN_DIR, set by CTest). A
// missing directory must make a suite fail, not skip (issue 3), so the suites check the files they
// read with QVERIFY instead of QSKIP.
#pragma once

#include <QByteArray>

#include <string>

namespace vfi::test {

inline std::string goldenDir() {
    const QByteArray env = qgetenv("VFI_GOLDEN_DIR");
    return env.isEmpty() ? std::string("../shared/golden") : env.toStdString();
}

}  // namespace vfi::test
