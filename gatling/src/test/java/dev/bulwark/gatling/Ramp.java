package dev.bulwark.gatling;

import java.time.Duration;

/**
 * The levels of {@link CapacitySimulation}'s open arrival rate: level 1 starts {@code startRate} journeys
 * a second, each next level {@code stepPercent} percent more, for {@code levelLength} each, at most
 * {@code levels} of them. A geometric step finds the knee within one step's ratio whatever the machine,
 * in a bounded number of levels. Immutable.
 *
 * @param startRate   journeys per second of level 1
 * @param stepPercent how much faster each level is than the one before, in percent
 * @param levels      the most levels the ramp climbs
 * @param levelLength how long each level lasts
 */
public record Ramp(double startRate, int stepPercent, int levels, Duration levelLength) {

    public Ramp {
        if (!(startRate > 0) || stepPercent <= 0 || levels <= 0 || levelLength.isNegative() || levelLength.isZero()) {
            throw new IllegalArgumentException("a ramp needs a positive start rate, step, level count and level length, got "
                    + startRate + ", " + stepPercent + "%, " + levels + ", " + levelLength);
        }
    }

    /** Journeys per second of {@code level}, 1 to {@link #levels()}, rounded to a tenth. */
    public double rate(int level) {
        if (level < 1 || level > levels) {
            throw new IllegalArgumentException("level must be from 1 to " + levels + ", got " + level);
        }
        return Math.round(10 * startRate * Math.pow(1 + stepPercent / 100.0, level - 1)) / 10.0;
    }

    /** Every level, one after the other. */
    public Duration total() {
        return levelLength.multipliedBy(levels);
    }
}
