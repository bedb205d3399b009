package dev.bulwark.chaos;

import java.time.Duration;

/**
 * What a scenario says about itself in the resiliency matrix: the figures its load and ledger give (requests,
 * responses, lost, non-2xx written, indeterminate) are added by {@link ScenarioRun.Outcome#recordAndCheck}.
 * Recovery and goodput ratio are absent ({@code –} in the matrix) unless set. Immutable.
 *
 * @param dependency   {@code database} or {@code redis}
 * @param fault        what was done to it, e.g. "latency 300 ms"
 * @param expected     what clients should see
 * @param observed     what they saw, in a few words with figures
 * @param recovery     how long recovery took, as {@link ResiliencyMatrix.Row#recoveryMillis()} defines it; null
 *                     when there was nothing to recover from
 * @param goodputRatio acknowledged writes a second during the fault over what the pool can do; null when not
 *                     measured
 */
record MatrixEntry(String dependency, String fault, ResiliencyMatrix.Expected expected, String observed,
                   Duration recovery, Double goodputRatio) {

    static MatrixEntry of(String dependency, String fault, ResiliencyMatrix.Expected expected, String observed) {
        return new MatrixEntry(dependency, fault, expected, observed, null, null);
    }

    MatrixEntry withRecovery(Duration recovery) {
        return new MatrixEntry(dependency, fault, expected, observed, recovery, goodputRatio);
    }

    MatrixEntry withGoodputRatio(double goodputRatio) {
        return new MatrixEntry(dependency, fault, expected, observed, recovery, goodputRatio);
    }
}
