package org.jqmail.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tiny SMTP peer that answers from a script, for reply codes GreenMail cannot produce and for
 * byte-exact transcripts. It sends the greeting, then one scripted reply per command line it
 * reads (once the script is used up: {@code 354} to {@code DATA}, {@code 250} to the rest); after a reply starting with {@code 354} it takes the data up to the line
 * {@code .\r\n} and answers with the next scripted reply. {@code QUIT} is answered
 * {@code 221 bye} and closes. With {@link #silent()} it accepts and never says anything.
 * Everything received on each connection is kept, byte for byte.
 */
final class ScriptedPeer implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> script;
    private final boolean silent;
    private final List<ByteArrayOutputStream> sessions = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final List<Boolean> ended = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    private ScriptedPeer(String addr, int port, boolean silent, List<String> script) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(addr), port), 50);
        this.script = script;
        this.silent = silent;
        this.acceptor = new Thread(this::acceptLoop, "peer-" + addr);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A peer on {@code addr:port} (port 0: any) answering greeting, then replies in order. */
    static ScriptedPeer on(String addr, int port, String greeting, String... replies) throws IOException {
        List<String> s = new ArrayList<>();
        s.add(greeting);
        s.addAll(List.of(replies));
        return new ScriptedPeer(addr, port, false, s);
    }

    /** A peer that accepts connections and never answers. */
    static ScriptedPeer silent(String addr, int port) throws IOException {
        return new ScriptedPeer(addr, port, true, List.of());
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * What the client sent on the {@code n}-th connection (ISO-8859-1), once that session has
     * ended (waits up to 10 seconds for it).
     */
    String received(int n) throws InterruptedException {
        TestHome.await("session " + n + " to end", () -> ended.size() > n && ended.get(n), Duration.ofSeconds(10));
        synchronized (sessions) {
            return sessions.get(n).toString(StandardCharsets.ISO_8859_1);
        }
    }

    int connections() {
        return sessions.size();
    }

    private void acceptLoop() {
        for (;;) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(s);
            ByteArrayOutputStream rec = new ByteArrayOutputStream();
            int n;
            synchronized (sessions) {
                n = sessions.size();
                sessions.add(rec);
                ended.add(false);
            }
            if (silent) {
                continue;
            }
            Thread t = new Thread(() -> {
                session(s, rec);
                ended.set(n, true);
            }, "peer-session");
            t.setDaemon(true);
            t.start();
        }
    }

    private void session(Socket s, ByteArrayOutputStream rec) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int next = 0;
            send(out, script.get(next++));
            boolean data = false;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0;) {
                synchronized (rec) {
                    rec.write(c);
                }
                line.write(c);
                if (c != '\n') {
                    continue;
                }
                String l = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (data) {
                    if (l.equals(".\r\n")) {
                        data = false;
                        send(out, next < script.size() ? script.get(next++) : "250 ok\r\n");
                    }
                    continue;
                }
                if (l.regionMatches(true, 0, "QUIT", 0, 4)) {
                    send(out, "221 bye\r\n");
                    return;
                }
                String reply = next < script.size() ? script.get(next++)
                        : l.regionMatches(true, 0, "DATA", 0, 4) ? "354 go ahead\r\n" : "250 ok\r\n";
                send(out, reply);
                data = reply.startsWith("354");
            }
        } catch (IOException e) {
            // The client hung up.
        }
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
