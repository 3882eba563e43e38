package org.jqmail.send;

/**
 * The flags and the clock qmail-send's parts share: {@code flagexitasap} (SIGTERM or a lost
 * daemon), {@code flagrunasap} (SIGALRM), {@code flagreadasap} (SIGHUP), and {@code recent},
 * the time taken at the top of each main-loop iteration.
 */
final class SendState {
    /** Time source and sleeping, replaceable in tests. */
    interface Clock {
        long now();

        void sleep(long seconds);
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public long now() {
            return System.currentTimeMillis() / 1000;
        }

        @Override
        public void sleep(long seconds) {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    };

    static final long SLEEP_TODO = 1500;
    static final long SLEEP_FUZZ = 1;
    static final long SLEEP_FOREVER = 86400;
    static final long SLEEP_CLEANUP = 76431;
    static final long SLEEP_SYSFAIL = 123;
    static final long OSSIFIED = 129600;

    final Clock clock;
    volatile boolean exitasap;
    volatile boolean runasap;
    volatile boolean readasap;
    long recent;

    SendState(Clock clock) {
        this.clock = clock;
        this.recent = clock.now();
    }

    long now() {
        return clock.now();
    }
}
