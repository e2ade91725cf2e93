#include <QtTest>

#include "vfi/job_state.h"
#include "vfi/result.h"

using vfi::JobState;

class TestJobState : public QObject {
    Q_OBJECT
private slots:
    void happyPath() {
        vfi::JobStateMachine m;
        QCOMPARE(m.state(), JobState::Queued);
        QVERIFY(m.transition(JobState::Running));
        QVERIFY(m.transition(JobState::Paused));
        QVERIFY(m.transition(JobState::Running));
        QVERIFY(m.transition(JobState::Joining));
        QVERIFY(m.transition(JobState::Verifying));
        QVERIFY(m.transition(JobState::Succeeded));
        QCOMPARE(m.state(), JobState::Succeeded);
        QCOMPARE(m.attempt(), 1);
    }
    void refusedTransitions() {
        vfi::JobStateMachine m;
        QVERIFY(!m.transition(JobState::Succeeded));
        QVERIFY(!m.transition(JobState::Joining));
        QVERIFY(!m.transition(JobState::Paused));
        QCOMPARE(m.state(), JobState::Queued);
        QVERIFY(m.transition(JobState::Running));
        QVERIFY(!m.transition(JobState::Succeeded));   // must join and verify first
        QVERIFY(!m.transition(JobState::Verifying));
        QVERIFY(m.transition(JobState::Joining));
        QVERIFY(!m.transition(JobState::Running));
        QVERIFY(!m.transition(JobState::Paused));
    }
    void failureAndCancelFromEveryActiveState() {
        for (JobState active : {JobState::Running, JobState::Paused, JobState::Joining, JobState::Verifying}) {
            QVERIFY(vfi::isTransitionAllowed(active, JobState::Failed));
            QVERIFY(vfi::isTransitionAllowed(active, JobState::Cancelled));
        }
        QVERIFY(!vfi::isTransitionAllowed(JobState::Succeeded, JobState::Failed));
        QVERIFY(!vfi::isTransitionAllowed(JobState::Queued, JobState::Failed));
        QVERIFY(vfi::isTransitionAllowed(JobState::Queued, JobState::Cancelled));
    }
    void retryIsANewAttempt() {
        vfi::JobStateMachine m;
        QVERIFY(m.transition(JobState::Running));
        QVERIFY(m.transition(JobState::Failed));
        QVERIFY(m.transition(JobState::Queued));
        QCOMPARE(m.attempt(), 2);
        QVERIFY(m.transition(JobState::Running));
        QVERIFY(m.transition(JobState::Cancelled));
        QVERIFY(m.transition(JobState::Queued));
        QCOMPARE(m.attempt(), 3);
    }
    void interruptedResumes() {
        vfi::JobStateMachine m(JobState::Interrupted);
        QVERIFY(!m.transition(JobState::Succeeded));
        QVERIFY(m.transition(JobState::Running));
        QCOMPARE(m.attempt(), 1);
    }
    void namesRoundTrip() {
        for (int i = 0; i <= static_cast<int>(JobState::Interrupted); ++i) {
            const auto s = static_cast<JobState>(i);
            QCOMPARE(vfi::parseJobState(vfi::jobStateName(s)).value(), s);
        }
        QVERIFY(!vfi::parseJobState("bogus").has_value());
        QCOMPARE(QString(vfi::errorCodeName(vfi::ErrorCode::NotAVideo)), QString("not-a-video"));
    }
    void resultCarriesValueOrError() {
        vfi::Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(*good, 42);
        vfi::Result<int> bad(vfi::makeError(vfi::ErrorCode::Io, "disk said no", {"/x"}));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, vfi::ErrorCode::Io);
        QCOMPARE(QString::fromStdString(bad.error().args.at(0)), QString("/x"));
    }
};

QTEST_GUILESS_MAIN(TestJobState)
#include "test_job_state.moc"
