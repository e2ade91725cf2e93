#include "ui/single_instance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QSettings>
#include <QThread>

namespace vfi::ui {

SingleInstance::SingleInstance(const QString& key, QObject* parent) : QObject(parent), m_key(key) {}

SingleInstance::~SingleInstance() {
    if (m_server) m_server->close();
}

QString SingleInstance::defaultKey() {
    QByteArray who = qgetenv("USER");
    if (who.isEmpty()) who = qgetenv("USERNAME");
    const QByteArray id = who + '\n' + QSettings().fileName().toUtf8();
    return QStringLiteral("tlbvfi-studio-") +
           QString::fromLatin1(QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex().left(16));
}

SingleInstance::Role SingleInstance::start(const QStringList& files, int timeoutMs) {
    // The lock decides who is first (two starts at the same instant both find no server); QLockFile
    // takes over the file of an owner that no longer runs (crash, kill).
    m_lock = std::make_unique<QLockFile>(QDir(QDir::tempPath()).filePath(m_key + QStringLiteral(".lock")));
    m_lock->setStaleLockTime(0);
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_lock->tryLock(0)) {
        if (m_lock->error() != QLockFile::LockFailedError) return Role::Alone;
        // Another start holds the lock: it may still be setting up its server.
        if (sendFiles(files, int(std::max<qint64>(100, deadline.remainingTime())))) return Role::Secondary;
        if (deadline.hasExpired()) return Role::Alone;
        QThread::msleep(50);
    }
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(m_key);   // a crashed primary's socket file
    if (!m_server->listen(m_key)) return Role::Alone;
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onConnection);
    return Role::Primary;
}

bool SingleInstance::sendFiles(const QStringList& files, int timeoutMs) {
    QLocalSocket socket;
    socket.connectToServer(m_key);
    if (!socket.waitForConnected(std::min(timeoutMs, 1000))) return false;
    QJsonObject msg;
    msg[QStringLiteral("files")] = QJsonArray::fromStringList(files);
    socket.write(QJsonDocument(msg).toJson(QJsonDocument::Compact) + '\n');
    if (!socket.waitForBytesWritten(timeoutMs)) return false;
    // The answer says the primary has the files: only then may this process exit.
    while (!socket.canReadLine())
        if (!socket.waitForReadyRead(timeoutMs)) return false;
    return socket.readLine().trimmed() == "ok";
}

void SingleInstance::onConnection() {
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) return;
            const QJsonObject msg = QJsonDocument::fromJson(socket->readLine()).object();
            QStringList files;
            for (const QJsonValue& v : msg.value(QStringLiteral("files")).toArray()) files << v.toString();
            emit filesReceived(files);
            socket->write("ok\n");
            socket->flush();
        });
    }
}

}  // namespace vfi::ui
