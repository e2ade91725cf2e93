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
    const QString lang = language.isEmpty() ? QLocale::system().name().section(QLatin1Char('_'), 0, 0) : language;
    if (lang == QLatin1String("en") || lang.isEmpty()) return QStringLiteral("en");
    auto* mine = new QTranslator;
    if (!mine->load(QStringLiteral(":/i18n/tlbvfi_%1.qm").arg(lang))) {
        delete mine;
        return QStringLiteral("en");
    }
    app = mine;
    QCoreApplication::installTranslator(app);
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
