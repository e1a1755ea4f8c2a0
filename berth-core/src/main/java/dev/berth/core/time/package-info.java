/**
 * Time and waiting: the {@link dev.berth.core.time.Scheduler} every waiting, retrying and
 * timing-out component takes, and its production implementation. Tests use {@code ManualScheduler}
 * from core's test-jar and move time by hand.
 */
package dev.berth.core.time;
