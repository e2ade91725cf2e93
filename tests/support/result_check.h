// Qt Test checks of a vfi::Result / vfi::Status that show the error message when they fail.
#pragma once

#include <QtTest>

// In a test slot: expr (a Result or Status) is ok, else the test fails with its error message.
#define VERIFY_OK(expr) \
    do { const auto& r_ = (expr); QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str()); } while (0)
