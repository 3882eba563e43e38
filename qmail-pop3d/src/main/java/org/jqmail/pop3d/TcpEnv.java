package org.jqmail.pop3d;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Getopt;
import org.jqmail.io.Main;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.Scan;

/**
 * tcp-env: sets up the TCP environment variables of tcp-environ(5) for a connection on fd 0 and
 * runs a program, for servers started by inetd rather than tcpserver.
 *
 * <p>Synopsis: {@code tcp-env [-rR] [-tTIMEOUT] PROGRAM [ARG...]}. {@code -r} (the default) asks
 * the client's identification server for {@code TCPREMOTEINFO}, {@code -R} does not, {@code -t}
 * bounds that question in seconds (default 30). If {@code PROTO} is already {@code TCP}, the
 * variables are taken as they are and fd 0 need not be a socket. The variables: {@link
 * TcpEnviron}. PROGRAM runs through {@code env(1)}, which sets them and searches {@code PATH} as
 * execvp does, with fds 0..2 and the rest of the environment unchanged; tcp-env waits for it and
 * exits with its status (a signal N as 128 + N), since a JVM cannot exec.
 *
 * <p>Exit status: 111 without PROGRAM, when fd 0 is not a TCP socket, or when PROGRAM cannot be
 * started; otherwise PROGRAM's.
 *
 * <p>See also: tcp-env(1), tcp-environ(5), {@link RemoteInfo}, {@link DnsPtr}.
 */
public final class TcpEnv {
    static final String ENV = "/usr/bin/env";

    private TcpEnv() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        int code;
        try {
            code = run(a);
        } catch (Throwable t) {
            code = Main.failed("tcp-env", t, 111);
        }
        Main.end(code);
    }

    private static int run(String[] a) throws IOException {
        List<byte[]> args = ProcSelf.args(TcpEnv.class.getName(), a);
        Getopt g = new Getopt("tcp-env", args, "rRt:", null);
        boolean remoteinfo = true;
        long[] timeout = {30};
        for (int c; (c = g.next()) != Getopt.DONE;) {
            if (c == 'r') {
                remoteinfo = true;
            } else if (c == 'R') {
                remoteinfo = false;
            } else if (c == 't') {
                byte[] t = g.arg();
                Scan.ulong(t, 0, t.length, timeout);
            }
        }
        if (g.index() >= a.length) {
            return 111;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ENV);
        if ("TCP".equals(System.getenv("PROTO"))) {
            cmd.add("--");
        } else {
            Channel ch = System.inheritedChannel();
            if (!(ch instanceof SocketChannel)) {
                return 111;
            }
            SocketChannel sc = (SocketChannel) ch;
            InetSocketAddress local = (InetSocketAddress) sc.getLocalAddress();
            InetSocketAddress remote = (InetSocketAddress) sc.getRemoteAddress();
            if (local == null || remote == null) {
                return 111;
            }
            int secs = (int) Math.min(Integer.MAX_VALUE, timeout[0] & Long.MAX_VALUE);
            cmd.addAll(TcpEnviron.changes(local, remote, new DnsPtr(System.getenv(DnsPtr.ENV_SERVER)),
                    remoteinfo ? new Ident(secs) : null));
        }
        for (int i = g.index(); i < a.length; i++) {
            cmd.add(a[i]);
        }
        Process p;
        try {
            // env(1) changes only the named variables; the JDK passes the rest on unchanged.
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            return 111;
        }
        for (;;) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // Keep waiting: the program owns the connection.
            }
        }
    }

    /** {@link RemoteInfo#get} with tcp-env's timeout. */
    private static final class Ident implements TcpEnviron.Info {
        private final int seconds;

        Ident(int seconds) {
            this.seconds = seconds;
        }

        @Override
        public byte[] get(InetSocketAddress remote, InetSocketAddress local) {
            return RemoteInfo.get(remote, local, seconds);
        }
    }
}
