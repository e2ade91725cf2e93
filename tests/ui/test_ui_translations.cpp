// The Korean translation is complete: every tr()/translate() string in ui/ and app/studio has a
// finished Korean entry in translations/tlbvfi_ko.ts, and the compiled .qm (embedded) loads together
// with Qt's own qtbase_ko.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

#include "ui/translations.h"

class TestUiTranslations : public QObject {
    Q_OBJECT
private:
    struct Entry {
        QString context;
        QString source;
        QString translation;
        QString type;
        int numerusForms = 0;
    };
    static QList<Entry> readTs(const QString& path) {
        QList<Entry> out;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return out;
        QXmlStreamReader xml(&f);
        QString context;
        Entry cur;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                const auto name = xml.name();
                if (name == QLatin1String("name")) context = xml.readElementText();
                else if (name == QLatin1String("message")) cur = Entry{context, {}, {}, {}, 0};
                else if (name == QLatin1String("source")) cur.source = xml.readElementText();
                else if (name == QLatin1String("translation")) {
                    cur.type = xml.attributes().value(QLatin1String("type")).toString();
                    cur.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                } else if (name == QLatin1String("numerusform")) {
                    ++cur.numerusForms;
                }
            } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
                out << cur;
            }
        }
        return out;
    }
    // Every literal passed to tr("…") or translate("ctx", "…") (adjacent literals concatenated).
    static QSet<QString> sourceStrings() {
        QSet<QString> out;
        static const QRegularExpression call(
            QStringLiteral("(?:\\btr|\\btranslate)\\(\\s*(?:\"[^\"]*\"\\s*,\\s*)?((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*)+)[,)]"));
        static const QRegularExpression literal(QStringLiteral("\"((?:[^\"\\\\]|\\\\.)*)\""));
        for (const QString& dir : {QStringLiteral("/ui"), QStringLiteral("/app/studio")}) {
            QDirIterator it(QStringLiteral(VFI_SOURCE_DIR) + dir, {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files);
            while (it.hasNext()) {
                QFile f(it.next());
                if (!f.open(QIODevice::ReadOnly)) continue;
                const QString text = QString::fromUtf8(f.readAll());
                auto m = call.globalMatch(text);
                while (m.hasNext()) {
                    QString joined;
                    auto parts = literal.globalMatch(m.next().captured(1));
                    while (parts.hasNext()) joined += parts.next().captured(1);
                    joined.replace(QStringLiteral("\\n"), QStringLiteral("\n"));
                    joined.replace(QStringLiteral("\\\""), QStringLiteral("\""));
                    joined.replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
                    out.insert(joined);
                }
            }
        }
        return out;
    }

private slots:
    void koreanIsComplete() {
        const QList<Entry> ko = readTs(QStringLiteral(VFI_SOURCE_DIR "/translations/tlbvfi_ko.ts"));
        QVERIFY(ko.size() > 100);
        QSet<QString> translated;
        for (const Entry& e : ko) {
            QVERIFY2(e.type.isEmpty(), qPrintable(QStringLiteral("%1 entry: %2").arg(e.type, e.source)));
            QVERIFY2(!e.translation.trimmed().isEmpty() || e.numerusForms > 0, qPrintable(e.source));
            // Placeholders survive translation.
            for (int i = 1; i <= 9; ++i) {
                const QString ph = QStringLiteral("%") + QString::number(i);
                QVERIFY2(e.source.contains(ph) == e.translation.contains(ph), qPrintable(e.source));
            }
            translated.insert(e.source);
        }
        const QSet<QString> used = sourceStrings();
        QVERIFY(used.size() > 100);
        for (const QString& s : used) QVERIFY2(translated.contains(s), qPrintable(QStringLiteral("untranslated: ") + s));
    }

    void koreanLoads() {
        QCOMPARE(vfi::ui::installTranslations(QStringLiteral("ko")), QStringLiteral("ko"));
        const QString interpolate = QCoreApplication::translate("vfi::ui::MainWindow", "&Interpolate");
        QVERIFY(interpolate != QStringLiteral("&Interpolate"));
        QVERIFY(interpolate.contains(QChar(0xBCF4)));   // 보 (보간 = interpolation)
        QVERIFY(QCoreApplication::translate("vfi::ui", "Paused") != QStringLiteral("Paused"));
        // Qt's own strings (standard dialogs) come from qtbase_ko.
        QVERIFY(QCoreApplication::translate("QPlatformTheme", "Cancel") != QStringLiteral("Cancel"));
        QCOMPARE(vfi::ui::installTranslations(QStringLiteral("en")), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("vfi::ui::MainWindow", "&Interpolate"), QStringLiteral("&Interpolate"));
    }

    // English counts read as English ("1 file(s) added" was in the status bar), also where the
    // system language has no translation.
    void englishPluralsReadWell_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QStringLiteral("en");
        QTest::newRow("no translation") << QStringLiteral("de");
    }
    void englishPluralsReadWell() {
        QFETCH(QString, language);
        QCOMPARE(vfi::ui::installTranslations(language), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("vfi::ui::MainWindow", "%n file(s) added", nullptr, 1), QStringLiteral("1 file added"));
        QCOMPARE(QCoreApplication::translate("vfi::ui::MainWindow", "%n file(s) added", nullptr, 3), QStringLiteral("3 files added"));
        QCOMPARE(QCoreApplication::translate("vfi::ui::MainWindow", "&Interpolate"), QStringLiteral("&Interpolate"));
    }
};

QTEST_GUILESS_MAIN(TestUiTranslations)
#include "test_ui_translations.moc"
