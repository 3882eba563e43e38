package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read/write deadline: a read past it runs the timeout action, a finished one does not. */
class DeadlineTest {
    @Test
    void aReadThatNeverEndsRunsTheActionOnce() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Deadline d = new Deadline(1, () -> {
            runs.incrementAndGet();
            fired.countDown();
        });
        CountDownLatch never = new CountDownLatch(1);
        InputStream blocked = d.in(new InputStream() {
            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return -1;
            }
        });
        Thread t = new Thread(() -> {
            try {
                blocked.read(new byte[1], 0, 1);
            } catch (IOException e) {
                // ended by the test
            }
        });
        t.setDaemon(true);
        t.start();
        assertTrue(fired.await(10, TimeUnit.SECONDS));
        never.countDown();
        t.join(10_000);
        assertEquals(1, runs.get());
    }

    @Test
    void readsThatFinishInTimeNeverFireIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Deadline d = new Deadline(1, runs::incrementAndGet);
        InputStream in = d.in(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertEquals(1, in.read());
        // The watcher runs now; nothing is armed while we wait past the deadline.
        Thread.sleep(2500);
        assertEquals(0, runs.get());
        assertEquals(2, in.read());
    }
}
