package org.jqmail.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jqmail.io.Prot;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * The attacker of {@link QueueFloodIT}: started as root, it becomes {@code nobody} (with
 * {@link Prot}, so that the kernel names nobody as the peer) and keeps {@code COUNT}
 * connections to qmail-queued's socket open: a third say nothing, a third send one byte, a
 * third send a submission's header and then nothing. Every connection the server closes
 * (refused at once, or answered at a deadline) is opened again on the next round, 20 ms
 * later, as a determined attacker would.
 *
 * <p>Synopsis: {@code QueueHolder SOCKET COUNT}. Prints {@code holding COUNT} on fd 1 once
 * the first COUNT connections are made; at the end of its stdin prints
 * {@code refused R timeout T closed C} (answers 71 and 52, and closes without an answer, seen
 * so far) and exits.
 *
 * <p>Everything it uses after the drop comes from the runtime image or is loaded before it:
 * the test class path may be unreadable to nobody.
 */
public final class QueueHolder {
    private static final byte[][] OPENINGS = {
        {}, {'Q'}, {'Q', 'Q', '1', 0, 0, 0, 0},
    };

    private QueueHolder() {
    }

    public static void main(String[] args) throws Exception {
        UnixDomainSocketAddress socket = UnixDomainSocketAddress.of(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        Posix px = Nat.posix();
        Prot.drop(px, px.getpwnam("nobody").uid(), px.getgrnam("nogroup").gid(), new int[] {px.getgrnam("nogroup").gid()});
        AtomicBoolean done = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            drain(System.in);
            done.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        SocketChannel[] held = new SocketChannel[count];
        for (int i = 0; i < count; i++) {
            held[i] = open(socket, i);
        }
        System.out.println("holding " + count);
        System.out.flush();
        long refused = 0;
        long timeout = 0;
        long closed = 0;
        ByteBuffer answer = ByteBuffer.allocate(16);
        while (!done.get()) {
            for (int i = 0; i < count; i++) {
                answer.clear();
                int n;
                try {
                    n = held[i].read(answer);
                } catch (IOException e) {
                    n = -1;
                }
                if (n == 0) {
                    continue;
                }
                if (n > 0 && answer.get(0) == 71) {
                    refused++;
                } else if (n > 0 && answer.get(0) == 52) {
                    timeout++;
                } else {
                    closed++;
                }
                held[i].close();
                held[i] = open(socket, i);
            }
            Thread.sleep(20);
        }
        System.out.println("refused " + refused + " timeout " + timeout + " closed " + closed);
        System.out.flush();
    }

    /** A new connection in non-blocking mode, with its opening sent. */
    private static SocketChannel open(UnixDomainSocketAddress socket, int i) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(socket);
        c.configureBlocking(false);
        ByteBuffer b = ByteBuffer.wrap(OPENINGS[i % OPENINGS.length]);
        try {
            c.write(b);
        } catch (IOException e) {
            // Refused and closed already: the next round reads why.
        }
        return c;
    }

    private static void drain(InputStream in) {
        byte[] b = new byte[256];
        try {
            while (in.read(b) >= 0) {
                // Until the test closes our stdin.
            }
        } catch (IOException e) {
            // The test is gone.
        }
    }
}
