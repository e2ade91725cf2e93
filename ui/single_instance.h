// One TLBVFI Studio per user and queue: the first start holds a lock file and listens on a local
// socket; a later start hands its files to it and exits, so two windows never edit one saved queue.
// The key names the user and the settings file, so isolated runs (tests, screenshots with their own
// XDG_CONFIG_HOME) get instances of their own. GUI thread only.
#pragma once

#include <QObject>
#include <QStringList>

#include <memory>

class QLocalServer;
class QLockFile;

namespace vfi::ui {

class SingleInstance : public QObject {
    Q_OBJECT
public:
    enum class Role { Primary, Secondary, Alone };
    explicit SingleInstance(const QString& key, QObject* parent = nullptr);
    ~SingleInstance() override;

    // "tlbvfi-studio-<hash of user name and QSettings file>".
    static QString defaultKey();
    // Primary: this process holds the lock and listens for later starts. Secondary: another process
    // holds it and acknowledged `files` (the caller exits). Alone: neither worked (no writable temp
    // folder, socket refused); the caller runs on its own.
    Role start(const QStringList& files, int timeoutMs = 5000);
    QString key() const { return m_key; }

signals:
    // A later start's files (absolute paths; may be empty: the user only started the app again).
    void filesReceived(const QStringList& files);

private:
    void onConnection();
    bool sendFiles(const QStringList& files, int timeoutMs);

    QString m_key;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer* m_server = nullptr;
};

}  // namespace vfi::ui
