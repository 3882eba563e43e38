package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmail.io.Acceptors;
import org.jqmail.io.Bytes;
import org.jqmail.io.Out;
import org.jqmail.io.Scan;
import org.jqmail.smtpd.Conn;
import org.jqmail.smtpd.ControlCache;
import org.jqmail.smtpd.Queue;
import org.jqmail.smtpd.Smtpd;

/**
 * qmail-smtpd's listener mode (doc/ARCHITECTURE.md §6): one long-lived process accepts SMTP
 * connections and runs each as an {@link Smtpd} session on its own thread, giving it the
 * environment tcpserver would have given a qmail-smtpd process.
 *
 * <p>Per connection, in tcpserver's order: the banner ({@code -B}); PROTO=TCP, TCPLOCALIP,
 * TCPLOCALPORT, TCPLOCALHOST ({@code -l}, else the local address's name, looked up once per
 * address), TCPREMOTEIP, TCPREMOTEPORT, TCPREMOTEHOST (unless {@code -H}; unset when the
 * address has no name), TCPREMOTEINFO always unset; then the rules cdb ({@code -x}, checked
 * per connection so a new {@code tcprules} run applies at once, {@link RulesCache}): a deny
 * closes the connection
 * without a word, an allow adds its variables. A missing cdb drops the connection unless
 * {@code -X}. At most {@code -c} sessions run at once; further connections wait in the
 * kernel's backlog until one ends, as with tcpserver. The thread that accepts a connection runs
 * its session; another thread waits in accept meanwhile. Each session reads the control files
 * as qmail-smtpd does, through a {@link ControlCache} that serves them from memory while a stat
 * shows them unchanged; a file that cannot be read gets every session qmail-smtpd's {@code 421
 * unable to read controls} and one warning on stderr ({@link ControlTrouble}).
 *
 * <p>Per client address at most {@code MAXCONNIP} sessions run at once, as with the tcpserver
 * limits patch: the value set for the address by the rules ({@code 127.0.0.1:allow,MAXCONNIP="200"};
 * only rules that match by address count, since the limit is checked on the accepting thread
 * before any DNS look-up), else {@code MAXCONNIP} in the listener's own environment, else
 * {@link #MAXCONNIP}; 0 refuses every connection. A connection over the limit is answered with
 * {@code DIEMSG} (from the same places; default {@link #DIEMSG}) and a CRLF, and closed at once:
 * it never holds a session's place. With {@code -v} it is logged as a {@code deny} line ending
 * in {@code MAXCONNIP:}.
 *
 * <p>With {@code -v}, tcpserver's status lines go to stderr, with the session's number where
 * tcpserver prints the child's pid: {@code status: N/LIMIT}, {@code session N from IP},
 * {@code ok N LOCALHOST:LOCALIP:LOCALPORT REMOTEHOST:REMOTEIP:REMOTEINFO:REMOTEPORT},
 * {@code deny N ...}, {@code end N status S} (S as a wait status: exit code times 256).
 */
final class Listener {
    private static final String NAME = "qmail-smtpd-listener: ";
    /** Threads kept waiting for connections when there is no work. */
    static final int MAX_IDLE = 4;
    /** Sessions per client address when neither the rules nor the environment say (Postfix's 50). */
    static final int MAXCONNIP = 50;
    /** What a connection over its address's limit is told, unless {@code DIEMSG} says otherwise. */
    static final String DIEMSG = "421 too many connections from your IP address (#4.7.0)";

    private final ListenerArgs args;
    private final Path home;
    /** The control files, kept between sessions while unchanged (each session still sees every change). */
    private final ControlCache controls;
    /** The -x rules, looked up per connection in the current file; null without -x. */
    private final RulesCache rules;
    private final Map<String, String> baseEnv;
    private final Queue qmail;
    private final Semaphore slots;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong sessions = new AtomicLong();
    private final Map<InetAddress, Optional<String>> localNames = new ConcurrentHashMap<>();
    private final ClientCounts clients = new ClientCounts();
    /** Threads waiting for a slot or in accept. */
    private final Acceptors acceptors = new Acceptors("smtpd-session", MAX_IDLE, () -> accept(false));
    private ServerSocket server;

    Listener(ListenerArgs args, Path home, Map<String, String> baseEnv, Queue qmail) {
        this.args = args;
        this.home = home;
        this.controls = ControlCache.forHome(home, new ControlTrouble(l -> log(1, l)));
        this.rules = args.rules == null ? null : new RulesCache(Paths.get(args.rules));
        this.baseEnv = baseEnv;
        this.qmail = qmail;
        this.slots = new Semaphore(args.limit);
    }

    /** Binds host:port as tcpserver does ({@code 0} = every local IPv4 address). */
    static ServerSocket bind(ListenerArgs args) throws IOException {
        InetAddress addr;
        if (args.host.isEmpty() || args.host.equals("0")) {
            addr = InetAddress.getByAddress(new byte[4]);
        } else {
            InetAddress[] all = InetAddress.getAllByName(args.host);
            addr = all[0];
            for (InetAddress a : all) {
                if (a instanceof Inet4Address) {
                    addr = a;
                    break;
                }
            }
        }
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(addr, Services.port(args.port)), args.backlog);
        return ss;
    }

    /**
     * Reads the rules file once at start, as the user the listener serves as: an unreadable
     * one is an error now rather than a dropped connection each time (thrown); a missing one
     * drops every connection, as tcpserver's {@code -x} does without {@code -X}, which one
     * warning says.
     */
    void checkRules() throws IOException {
        if (rules != null && rules.find("127.0.0.1", null) == null && !args.allowNoRules) {
            log(1, "warning: " + args.rules + " does not exist: every connection is dropped until it does"
                    + " (-X allows them)");
        }
    }

    void log(int level, String line) {
        if (args.verbosity >= level) {
            Out.err(NAME + line + "\n");
        }
    }

    private void status() {
        if (args.verbosity >= 2) {
            log(2, "status: " + active.get() + "/" + args.limit);
        }
    }

    /** Accepts connections forever; the calling thread is the first acceptor. */
    void serve(ServerSocket ss) throws IOException {
        ss.setSoTimeout((int) Acceptors.TURN_WAIT_MS); // then Acceptors.retire
        server = ss;
        status();
        acceptors.enter();
        accept(true);
    }

    /**
     * An acceptor's loop: wait for a slot, accept, make sure another thread accepts next
     * (starting one if none is idle), run the session on this thread, then start over, or end
     * when {@link #MAX_IDLE} threads are idle already and none has had to be started for
     * {@link Acceptors#LINGER_SECONDS} seconds (never the first thread). The connection
     * so never waits for a hand-over between threads.
     */
    private void accept(boolean first) {
        for (;;) {
            slots.acquireUninterruptibly();
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                slots.release();
                if (acceptors.retire(first)) {
                    return;
                }
                continue;
            } catch (IOException e) {
                slots.release();
                log(1, "warning: unable to accept: " + e.getMessage());
                continue;
            }
            long n = sessions.incrementAndGet();
            InetAddress ip = s.getInetAddress();
            if (!admit(s, ip, n)) {
                slots.release();
                continue;
            }
            active.incrementAndGet();
            status();
            if (!acceptors.took()) {
                close(s);
                clients.leave(ip);
                finish(n, 111);
                continue;
            }
            try {
                session(s, n);
            } finally {
                clients.leave(ip);
            }
            if (!acceptors.again(first)) {
                return;
            }
        }
    }

    /**
     * Counts the connection against its address's limit, or answers it {@code DIEMSG} and
     * closes it; never waits for the client (the message is one short write into an empty
     * send buffer) and looks up nothing but the rules file.
     */
    private boolean admit(Socket s, InetAddress ip, long n) {
        Map<String, String> rule = Map.of();
        if (rules != null) {
            try {
                TcpRules.Decision d = rules.find(ip.getHostAddress(), null);
                if (d != null) {
                    rule = d.env();
                }
            } catch (IOException e) {
                // The session reports the unreadable rules; the limit falls back to the default.
            }
        }
        long max = limit(rule.get("MAXCONNIP"), limit(baseEnv.get("MAXCONNIP"), MAXCONNIP));
        if (clients.enter(ip, max)) {
            return true;
        }
        String msg = rule.containsKey("DIEMSG") ? rule.get("DIEMSG") : baseEnv.getOrDefault("DIEMSG", DIEMSG);
        try {
            s.getOutputStream().write(Bytes.ascii(msg + "\r\n"));
        } catch (IOException e) {
            // Gone already.
        }
        close(s);
        if (args.verbosity >= 2) {
            String remoteIp = ip.getHostAddress();
            log(2, "deny " + n + " " + safe(args.localName) + ":" + safe(s.getLocalAddress().getHostAddress()) + ":"
                    + s.getLocalPort() + " :" + safe(remoteIp) + "::" + s.getPort() + " MAXCONNIP:" + max);
        }
        return false;
    }

    /** A limit in decimal digits, or {@code dflt} when there is none or it is not a number. */
    private static long limit(String v, long dflt) {
        if (v == null) {
            return dflt;
        }
        long n = Scan.strict(v);
        return n < 0 ? dflt : n;
    }

    private void finish(long n, int code) {
        active.decrementAndGet();
        slots.release();
        if (args.verbosity >= 2) {
            log(2, "end " + n + " status " + (code << 8));
        }
        status();
    }

    private static void shutdownInput(Socket s) {
        try {
            s.shutdownInput();
        } catch (IOException e) {
            // Closed already: the read has ended anyway.
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }

    /** A connection handed over by bin/qmail-smtpd ({@link Handoff}), taken when its session starts. */
    interface Taker {
        /** Tells the sender the connection is taken; returns it as the session's connection. */
        Conn take() throws IOException;

        /** Tells the sender the connection is taken, then writes {@code line} and CRLF to the client. */
        void refuse(String line) throws IOException;
    }

    /**
     * Runs a handed-over connection as a session with {@code env} as its whole environment
     * (tcpserver's, passed on; no rules, banner or look-ups of the listener's own). It waits
     * for a slot as a TCP connection does and counts against the same limits: {@code -c}, and
     * {@code MAXCONNIP} for its {@code TCPREMOTEIP} (from {@code env}, which holds what
     * tcpserver's rules set, else as for TCP connections); a connection over that limit is
     * answered {@code DIEMSG} and closed, with exit status 1. Returns the session's exit status,
     * 111 if the connection could not be taken.
     */
    int handedOff(java.util.List<String> argv, Map<String, String> env, Taker taker) {
        InetAddress ip = literal(env.get("TCPREMOTEIP"));
        long max = limit(env.get("MAXCONNIP"), limit(baseEnv.get("MAXCONNIP"), MAXCONNIP));
        slots.acquireUninterruptibly();
        long n = sessions.incrementAndGet();
        active.incrementAndGet();
        status();
        boolean counted = ip == null || clients.enter(ip, max);
        int code = 111;
        try {
            if (args.verbosity >= 2) {
                log(2, (counted ? "handoff " : "deny handoff ") + n + " from " + safe(env.get("TCPREMOTEIP"))
                        + (counted ? "" : " MAXCONNIP:" + max));
            }
            if (!counted) {
                taker.refuse(env.containsKey("DIEMSG") ? env.get("DIEMSG") : baseEnv.getOrDefault("DIEMSG", DIEMSG));
                code = 1;
                return code;
            }
            code = new Smtpd(home, controls, env, argv.isEmpty() ? argv : argv.subList(1, argv.size()), taker.take(),
                    qmail, () -> System.currentTimeMillis() / 1000).run();
        } catch (IOException | RuntimeException e) {
            log(1, "warning: dropping hand-off, " + e.getMessage());
        } finally {
            if (counted && ip != null) {
                clients.leave(ip);
            }
            finish(n, code);
        }
        return code;
    }

    /** The address of an IP literal without any look-up; null for anything else. */
    private static InetAddress literal(String ip) {
        if (ip == null || !(ip.indexOf(':') >= 0 || ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
            return null;
        }
        try {
            // A literal (IPv4 digits and dots, or IPv6 with a colon) is parsed, never looked up.
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            return null;
        }
    }

    private void session(Socket s, long n) {
        int code = 111;
        try {
            String remoteIp = s.getInetAddress().getHostAddress();
            if (args.verbosity >= 2) {
                log(2, "session " + n + " from " + safe(remoteIp));
            }
            if (!args.banner.isEmpty()) {
                OutputStream o = s.getOutputStream();
                o.write(Bytes.ascii(args.banner));
                o.flush();
            }
            if (args.noDelay) {
                s.setTcpNoDelay(true);
            }
            Map<String, String> env = environment(s, remoteIp, n);
            if (env == null) {
                code = 100;
                return;
            }
            // Read deadlines are the watchdog's: it shuts the input of a session past its
            // deadline, and the session answers 451 timeout (Conn). A write past its deadline
            // closes the socket.
            Conn conn = new Conn(s.getInputStream(), s.getOutputStream(), null, () -> shutdownInput(s),
                    () -> close(s));
            code = new Smtpd(home, controls, env, args.smtpdArgs, conn, qmail, () -> System.currentTimeMillis() / 1000)
                    .run();
        } catch (IOException | RuntimeException e) {
            log(1, "warning: dropping connection, " + e.getMessage());
        } finally {
            close(s);
            finish(n, code);
        }
    }

    /** The session's environment, or null if the rules deny the connection or cannot be read. */
    private Map<String, String> environment(Socket s, String remoteIp, long n) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        InetAddress local = s.getLocalAddress();
        String localIp = local.getHostAddress();
        String localHost = args.localName != null ? args.localName : name(local);
        env.put("PROTO", "TCP");
        env.put("TCPLOCALIP", localIp);
        env.put("TCPLOCALPORT", Integer.toString(s.getLocalPort()));
        put(env, "TCPLOCALHOST", localHost);
        String remoteHost = args.remoteHost ? reverse(s.getInetAddress()) : null;
        env.put("TCPREMOTEIP", remoteIp);
        env.put("TCPREMOTEPORT", Integer.toString(s.getPort()));
        put(env, "TCPREMOTEHOST", remoteHost);
        env.remove("TCPREMOTEINFO");
        if (args.smtps) {
            env.put("SMTPS", "1");
        }
        boolean deny = false;
        if (rules != null) {
            TcpRules.Decision d;
            try {
                d = rules.find(remoteIp, remoteHost);
            } catch (IOException e) {
                log(1, "warning: dropping connection, unable to read " + args.rules + ": " + e.getMessage());
                return null;
            }
            if (d == null) {
                if (!args.allowNoRules) {
                    log(1, "warning: dropping connection, unable to read " + args.rules + ": file does not exist");
                    return null;
                }
            } else {
                deny = d.deny();
                env.putAll(d.env());
            }
        }
        if (args.verbosity >= 2) {
            log(2, (deny ? "deny " : "ok ") + n + " " + safe(localHost) + ":" + safe(localIp) + ":"
                    + s.getLocalPort() + " " + safe(remoteHost) + ":" + safe(remoteIp) + "::" + s.getPort());
        }
        return deny ? null : env;
    }

    private static void put(Map<String, String> env, String k, String v) {
        if (v == null) {
            env.remove(k);
        } else {
            env.put(k, v);
        }
    }

    private String name(InetAddress local) {
        return localNames.computeIfAbsent(local, a -> Optional.ofNullable(reverse(a))).orElse(null);
    }

    /** The DNS name of an address, or null when it has none (the JDK then gives the literal). */
    private static String reverse(InetAddress a) {
        InetAddress bare;
        try {
            bare = InetAddress.getByAddress(a.getAddress());
        } catch (IOException e) {
            return null;
        }
        String h = bare.getHostName();
        return h.equals(bare.getHostAddress()) ? null : h;
    }

    /** tcpserver's {@code safecats}: printable ASCII only, and no colon, in status lines. */
    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 33 || c > 126 || c == ':' ? '?' : c);
        }
        return sb.toString();
    }
}
