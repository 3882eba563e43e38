package org.jqmail.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Paths;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * qmailctl, the operator's front end (the one program here that uses picocli): start, stop,
 * restart, pause, cont, doqueue, reload and stat drive the daemontools services through
 * {@link Services}; queue prints qmail-qstat and qmail-qread; doctor runs {@link Doctor}.
 *
 * <p>Exit 0 on success, 1 if something failed or doctor found a problem, 2 for usage errors.
 */
final class Ctl {
    private static final String[][] COMMANDS = {
        {"start", "Start qmail-queued, qmail-send and qmail-smtpd (svc -u)."},
        {"stop", "Stop qmail-smtpd, qmail-send and qmail-queued (svc -d); queued mail stays queued."},
        {"restart", "Restart the services (svc -t)."},
        {"pause", "Pause qmail-send and qmail-smtpd (svc -p)."},
        {"cont", "Continue paused services (svc -c)."},
        {"doqueue", "Retry every deferred message now (svc -a qmail-send: SIGALRM)."},
        {"reload", "Reread locals and virtualdomains (svc -h qmail-send: SIGHUP)."},
        {"stat", "Status of the services (svstat) and of the queue."},
        {"queue", "Queue summary (qmail-qstat) and contents (qmail-qread)."},
        {"doctor", "Check users, owners and modes, control files, the queue socket and running daemons."},
    };

    private final Auto auto;
    private final OutputStream out;
    private final OutputStream err;

    Ctl(Auto auto, OutputStream out, OutputStream err) {
        this.auto = auto;
        this.out = out;
        this.err = err;
    }

    static CommandLine commandLine() {
        CommandSpec top = CommandSpec.create().name("qmailctl");
        top.usageMessage().description("Control and check a jqmail installation.");
        top.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
        for (String[] c : COMMANDS) {
            CommandSpec s = CommandSpec.create().name(c[0]);
            s.usageMessage().description(c[1]);
            top.addSubcommand(c[0], s);
        }
        return new CommandLine(top);
    }

    int run(String[] args) throws IOException {
        CommandLine cl = commandLine();
        ParseResult pr;
        try {
            pr = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.write(Bytes.ascii("qmailctl: " + e.getMessage() + "\n" + cl.getUsageMessage()));
            err.flush();
            return 2;
        }
        if (pr.isUsageHelpRequested() || !pr.hasSubcommand()) {
            (pr.isUsageHelpRequested() ? out : err).write(Bytes.ascii(cl.getUsageMessage()));
            return pr.isUsageHelpRequested() ? 0 : 2;
        }
        return command(pr.subcommand().commandSpec().name());
    }

    private int command(String name) throws IOException {
        Services s = Services.system(auto, out);
        List<String> all = Services.NAMES;
        List<String> reverse = List.of("qmail-smtpd", "qmail-send", "qmail-queued");
        switch (name) {
            case "start": return s.svc("-u", all);
            case "stop": return s.svc("-d", reverse);
            case "restart": return s.svc("-t", reverse);
            case "pause": return s.svc("-p", List.of("qmail-smtpd", "qmail-send"));
            case "cont": return s.svc("-c", List.of("qmail-send", "qmail-smtpd"));
            case "doqueue": return s.svc("-a", List.of("qmail-send"));
            case "reload": return s.svc("-h", List.of("qmail-send"));
            case "stat": {
                int rc = s.stat();
                return rc | new Qstat(auto, out, err).run();
            }
            case "queue": {
                int rc = new Qstat(auto, out, err).run();
                return rc | new Qread(auto, out).run();
            }
            case "doctor":
                return new Doctor(auto, Passwd.system(), new Procs(Paths.get("/proc")), out).run();
            default:
                return 2;
        }
    }
}
