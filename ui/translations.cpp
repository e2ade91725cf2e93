#include "ui/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace vfi::ui {

QString installTranslations(const QString& language) {
    static QTranslator* app = nullptr;
    static QTranslator* qt = nullptr;
    for (QTranslator** t : {&app, &qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    const QString wanted = language.isEmpty() ? QLocale::system().name().section(QLatin1Char('_'), 0, 0) : language;
    auto* mine = new QTranslator;
    QString lang = wanted;
    if (lang.isEmpty() || !mine->load(QStringLiteral(":/i18n/tlbvfi_%1.qm").arg(lang))) lang = QStringLiteral("en");
    // English is loaded too: its plural forms turn "%n file(s) added" into "1 file added".
    if (lang == QLatin1String("en") && !mine->load(QStringLiteral(":/i18n/tlbvfi_en.qm"))) {
        delete mine;
        return lang;
    }
    app = mine;
    QCoreApplication::installTranslator(app);
    if (lang == QLatin1String("en")) return lang;
    auto* base = new QTranslator;
    if (base->load(QStringLiteral("qtbase_%1").arg(lang), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        qt = base;
        QCoreApplication::installTranslator(qt);
    } else {
        delete base;
    }
    return lang;
}

}  // namespace vfi::ui
