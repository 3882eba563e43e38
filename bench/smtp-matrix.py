#!/usr/bin/env python3
# SPDX-License-Identifier: Unlicense
"""smtp-matrix.py - the measuring half of bench/smtp (which starts and stops the servers).

  smtp-matrix.py load --label L --server HOST:PORT --maildir DIR --rcpt ADDR [--pid PID]...
                      --driver PATH --out RESULTS.jsonl [options]
      Runs the load driver (smtp-load.py) once per (size, concurrency) cell and appends one
      JSON record per cell to RESULTS.jsonl, plus one "system" record (RSS and PSS at idle,
      --settle seconds after the start and once settled, their peaks during the c=50 cells,
      and after the load once idle workers have gone and the rest has settled; fsync syscalls
      per message from a separate strace run).
  smtp-matrix.py table RESULTS.jsonl [--baseline LABEL] [--second LABEL]
      Prints the plain-text table of all records; with a baseline, ratios to its cells (and
      delivery ratios to a second label's cells).
  smtp-matrix.py freeport           a free TCP port on 127.0.0.1
  smtp-matrix.py wait-smtp HOST:PORT SECONDS
      Waits until the server answers with a 220 greeting (exit 0) or the time is up (exit 1).
  smtp-matrix.py tree PID...        every live process in the trees rooted at PID...

Process trees are read from /proc (ppid links); RSS is the sum of VmRSS, PSS the sum of Pss
from smaps_rollup (each shared page divided among the processes that map it, so the class-data
archives and libraries the JVMs share count once in all), over every process in the trees.
Stdlib only.
"""
import argparse, json, os, signal, socket, subprocess, sys, threading, time


# ---- processes -------------------------------------------------------------------------

def proc_table():
    """{pid: ppid} of every process (not thread) now alive."""
    t = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        t[int(d)] = int(s[s.rfind(")") + 2:].split()[1])
    return t


def tree(roots):
    """Live pids in the trees rooted at roots (roots included when alive)."""
    t = proc_table()
    kids = {}
    for p, pp in t.items():
        kids.setdefault(pp, []).append(p)
    out, todo = [], [r for r in roots if r in t]
    seen = set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        out.append(p)
        todo.extend(kids.get(p, []))
    return sorted(out)


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def memory(roots, pss=True):
    """(rss_kb, pss_kb, nprocs) summed over the trees."""
    pids = tree(roots)
    return (sum(status_kb(p, "VmRSS") for p in pids),
            sum(pss_kb(p) for p in pids) if pss else 0, len(pids))


class PeakSampler:
    """Samples the trees' total RSS every interval seconds in a thread, and their PSS every
    pss_interval seconds (reading smaps_rollup walks every mapping: too costly to do often);
    keeps the maxima: peak = (rss_kb, 0, nprocs), peak_pss_kb."""

    def __init__(self, roots, interval=0.1, pss_interval=1.0):
        self.roots, self.interval, self.pss_interval = roots, interval, pss_interval
        self.peak = (0, 0, 0)
        self.peak_pss_kb = 0
        self.stop_ev = threading.Event()
        self.th = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        next_pss = 0.0
        while not self.stop_ev.is_set():
            now = time.monotonic()
            with_pss = now >= next_pss
            m = memory(self.roots, pss=with_pss)
            if with_pss:
                next_pss = now + self.pss_interval
                self.peak_pss_kb = max(self.peak_pss_kb, m[1])
            if m[0] > self.peak[0]:
                self.peak = (m[0], 0, m[2])
            self.stop_ev.wait(self.interval)

    def __enter__(self):
        self.th.start()
        return self

    def __exit__(self, *exc):
        self.stop_ev.set()
        self.th.join()


# ---- the driver ------------------------------------------------------------------------

def drive(a, n, conc, size, label, extra=()):
    """One smtp-load.py run; returns its JSON result (or a record of the failure)."""
    cmd = [sys.executable, a.driver, a.server, "-n", str(n), "-c", str(conc), "-s", str(size),
           "-t", a.rcpt, "-d", a.maildir, "--clean", "--json", "--timeout", str(a.timeout),
           "--label", label]
    if a.engine:
        cmd += ["-e", a.engine]
    for p in a.pid:
        cmd += ["-p", str(p)]
    cmd += list(extra)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [l for l in r.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return {"label": label, "count": n, "concurrency": conc, "size": size, "delivered": 0,
                "errors": 1, "first_error": (r.stderr.strip() or f"driver exit {r.returncode}")[-300:]}
    return json.loads(lines[-1])


def size_run(a, conc, size):
    """Message count for one cell: -n, or what the warm-up rate says fills --seconds."""
    floor = max(2 * conc, 20)
    if a.count:
        return a.count, None
    if a.quick:
        return max(2 * conc, 40), None
    w = drive(a, max(floor, a.warmup), conc, size, "warm-up")
    rate = w.get("delivered_per_s") or 0
    n = int(rate * a.seconds) if rate else floor
    return max(floor, min(a.max_count, n)), w


def strace_fsyncs(a, n, conc, size):
    """fsync+fdatasync+sync_file_range syscalls of the server trees during one run (strace)."""
    pids = tree(a.pid)
    if not pids:
        return None
    out = os.path.join(a.tmp, f"strace.{os.getpid()}.{time.time_ns()}")
    cmd = ["strace", "-f", "-c", "-o", out, "-e", "trace=fsync,fdatasync,sync_file_range"]
    for p in pids:
        cmd += ["-p", str(p)]
    st = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # strace says "Process N attached" once per thread; wait for every process's main thread.
    attached = set()

    def reader():
        for line in st.stderr:
            w = line.split()
            if len(w) >= 3 and w[0] == "strace:" and w[1] == "Process" and w[2].isdigit():
                attached.add(int(w[2]))

    rt = threading.Thread(target=reader, daemon=True)
    rt.start()
    deadline = time.time() + 30
    while time.time() < deadline and not set(pids) <= attached and st.poll() is None:
        time.sleep(0.1)
    time.sleep(0.5)
    res = drive(a, n, conc, size, "fsync-count")
    st.send_signal(signal.SIGINT)
    try:
        st.wait(60)
    except subprocess.TimeoutExpired:
        st.kill()
        st.wait()
    rt.join(5)
    calls = 0
    try:
        with open(out) as f:
            for line in f:
                p = line.split()
                if p and p[-1] in ("fsync", "fdatasync", "sync_file_range"):
                    # "% time seconds usecs/call calls [errors] syscall"
                    calls += int(p[3])
        os.unlink(out)
    except (OSError, ValueError, IndexError):
        return None
    d = res.get("delivered") or 0
    return {"fsync_calls": calls, "fsync_msgs": d, "fsync_errors": res.get("errors"),
            "fsync_per_msg": round(calls / d, 2) if d else None,
            "fsync_run_delivered_per_s": res.get("delivered_per_s")}


def settled(a, what):
    """(rss_kb, pss_kb, nprocs, seconds waited): the trees' memory once their PSS has stopped
    falling. A JVM's memory keeps moving for a while after its start or a load: it compiles,
    trims its C heap, and its heap is collected back once the heap's use has been still for
    some seconds (our daemons' HeapTrim). So PSS is sampled every second until no sample has
    been 0.5 MB below the lowest so far for --settle-quiet seconds, for at most --settle-max
    seconds; the last sample is the figure."""
    print(f"smtp: {a.label}: waiting up to {a.settle_max:.0f} s for the memory {what} to settle",
          file=sys.stderr, flush=True)
    t0 = time.monotonic()
    m = memory(a.pid)
    low, low_t = m[1], t0
    while True:
        now = time.monotonic()
        if now - low_t >= a.settle_quiet or now - t0 >= a.settle_max:
            return m + (round(now - t0, 1),)
        time.sleep(1)
        m = memory(a.pid)
        if m[1] < low - 512:
            low, low_t = m[1], time.monotonic()


def after(a, idle_procs):
    """Memory once a finished load's idle processes have gone: waits up to --after-wait seconds
    for the trees to be back at their idle process count (warm delivery workers end after their
    idle time), then until the memory has settled (settled()), then RSS and PSS."""
    print(f"smtp: {a.label}: waiting up to {a.after_wait:.0f} s for idle processes to go",
          file=sys.stderr, flush=True)
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.after_wait and len(tree(a.pid)) > idle_procs:
        time.sleep(1)
    waited = time.monotonic() - t0
    rss, pss, np, s = settled(a, "after the load")
    return {"rss_after_kb": rss, "pss_after_kb": pss, "procs_after": np,
            "after_wait_s": round(waited + s, 1)}


def load(a):
    a.pid = [int(p) for p in a.pid]
    sizes = [int(s) for s in a.sizes.split(",")]
    concs = [int(c) for c in a.conc.split(",")]
    records = []

    def emit(rec):
        records.append(rec)
        with open(a.out, "a") as f:
            f.write(json.dumps(rec) + "\n")

    sysrec = {"kind": "system", "label": a.label, "server": a.server, "pids": a.pid,
              "loadavg_before": os.getloadavg()}
    if a.pid:
        time.sleep(a.settle)
        rss, pss, np = memory(a.pid)
        sysrec.update({"rss_idle_kb": rss, "pss_idle_kb": pss, "procs_idle": np})
        if a.settle_max > 0 and not a.quick:
            rss, pss, np, s = settled(a, "after the start")
            sysrec.update({"rss_settled_kb": rss, "pss_settled_kb": pss, "procs_settled": np,
                           "settled_s": round(a.settle + s, 1)})
    if a.server_warmup > 0 and not a.quick:
        # Long-lived servers are measured warm: a JVM compiles its hot code during its first
        # thousand or so messages. Every server gets the same run; nothing of it is recorded.
        print(f"smtp: {a.label} server warm-up: {a.server_warmup} messages, c=10, size={sizes[0]} ...",
              file=sys.stderr, flush=True)
        drive(a, a.server_warmup, 10, sizes[0], "server-warm-up")
    peak = (0, 0, 0)
    peak_pss = 0
    for size in sizes:
        for conc in concs:
            n, w = size_run(a, conc, size)
            extra = ["--quiet-wait", str(a.quiet_wait)] if a.quiet_wait else []
            tag = f"{a.label} size={size} c={conc} n={n}"
            print(f"smtp: {tag} ...", file=sys.stderr, flush=True)
            if conc == max(concs) and a.pid:
                with PeakSampler(a.pid) as s:
                    r = drive(a, n, conc, size, a.label, extra)
                if s.peak[0] > peak[0]:
                    peak = s.peak
                peak_pss = max(peak_pss, s.peak_pss_kb)
            else:
                r = drive(a, n, conc, size, a.label, extra)
            r["kind"] = "cell"
            r["label"] = a.label
            r["loadavg"] = os.getloadavg()
            if w:
                r["warmup_delivered_per_s"] = w.get("delivered_per_s")
            emit(r)
            print(f"smtp: {tag}: {r.get('delivered_per_s')} delivered/s, "
                  f"{r.get('server_cpu_ms_per_msg')} ms CPU/msg, errors {r.get('errors')}",
                  file=sys.stderr, flush=True)
    if a.pid:
        sysrec.update({"rss_peak_kb": peak[0], "pss_peak_kb": peak_pss, "procs_peak": peak[2],
                       "rss_peak_concurrency": max(concs)})
        if a.after_wait > 0:
            sysrec.update(after(a, sysrec.get("procs_idle") or 0))
        if a.fsync_count > 0:
            print(f"smtp: {a.label}: counting fsyncs (strace, c=10, 2048 bytes, {a.fsync_count} msgs)",
                  file=sys.stderr, flush=True)
            f = strace_fsyncs(a, a.fsync_count, 10, 2048)
            if f:
                sysrec.update(f)
    sysrec["loadavg_after"] = os.getloadavg()
    emit(sysrec)
    return 0 if all(not r.get("errors") and r.get("delivered") == r.get("count")
                    for r in records if r.get("kind") == "cell") else 1


# ---- the table -------------------------------------------------------------------------

def fmt(v, spec="{:.1f}"):
    return "-" if v is None else spec.format(v)


def ratio(a, b):
    return None if not a or not b else a / b


def table(a):
    recs = []
    with open(a.results) as f:
        for line in f:
            line = line.strip()
            if line:
                recs.append(json.loads(line))
    cells = [r for r in recs if r.get("kind") == "cell"]
    systems = [r for r in recs if r.get("kind") == "system"]
    base = {(r["size"], r["concurrency"]): r for r in cells if a.baseline and r["label"] == a.baseline}
    second = {(r["size"], r["concurrency"]): r for r in cells if a.second and r["label"] == a.second}
    first = next(iter(systems), {})
    flushdisk = next((r.get("disk") for r in cells if r.get("disk")), "?")
    print(f"SMTP load, engine {cells[0].get('engine') if cells else '?'}; "
          f"{os.cpu_count()} CPUs; load average before {fmt_la(first.get('loadavg_before'))}, "
          f"after {fmt_la(systems[-1].get('loadavg_after') if systems else None)}")
    print("deliv/s, acc/s: messages per second until all are in Maildir/new, resp. all 250-accepted;")
    print("cpu: server CPU ms per delivered message (utime+stime of the server process trees, incl.")
    print(f"reaped children); flush: cache flushes of {flushdisk} per message (/proc/diskstats, whole")
    print("machine); busy: machine CPU % busy just before the cell; other: CPU % of the machine used")
    print("during the cell by anything but the server and the client (other jobs, kernel threads)"
          + (f"; x{a.baseline}: ratio to the {a.baseline} cell of this run" if a.baseline else "")
          + (f"; deliv x{a.second}: the same, to {a.second}" if a.second else ""))
    hdr = (f"{'system':<16} {'size':>6} {'c':>3} {'msgs':>6} {'deliv/s':>8} {'acc/s':>8} "
           f"{'cpu':>7} {'flush':>6} {'err':>4} {'busy':>5} {'other':>6}")
    if a.baseline:
        hdr += f" {'deliv x' + a.baseline:>14} {'cpu x' + a.baseline:>12}"
    if a.second:
        hdr += f" {'deliv x' + a.second:>20}"
    print(hdr)
    for r in cells:
        line = (f"{r['label']:<16} {r['size']:>6} {r['concurrency']:>3} {r['count']:>6} "
                f"{fmt(r.get('delivered_per_s')):>8} {fmt(r.get('accepted_per_s')):>8} "
                f"{fmt(r.get('server_cpu_ms_per_msg'), '{:.2f}'):>7} "
                f"{fmt(r.get('disk_flushes_per_msg'), '{:.2f}'):>6} {r.get('errors', 0):>4} "
                f"{fmt(r.get('pre_run_busy_pct'), '{:.0f}%'):>5} {fmt(other_pct(r), '{:.0f}%'):>6}")
        if a.baseline:
            b = base.get((r["size"], r["concurrency"]), {})
            line += (f" {fmt(ratio(r.get('delivered_per_s'), b.get('delivered_per_s')), '{:.2f}'):>14}"
                     f" {fmt(ratio(r.get('server_cpu_ms_per_msg'), b.get('server_cpu_ms_per_msg')), '{:.2f}'):>12}")
        if a.second:
            b = second.get((r["size"], r["concurrency"]), {})
            line += f" {fmt(ratio(r.get('delivered_per_s'), b.get('delivered_per_s')), '{:.2f}'):>20}"
        print(line)
        if r.get("first_error"):
            print(f"{'':<16}   first error: {r['first_error'][:200]}")
    if systems:
        print()
        pc = systems[0].get("rss_peak_concurrency", 50)
        print("Memory of every process of the server (MB): RSS = sum of VmRSS, PSS = sum of Pss")
        print("(smaps_rollup; shared pages divided among the processes mapping them); idle: 2 s after")
        print("the start (--settle); settled: once PSS has stopped falling for 10 s (at most 60 s;")
        print("sec: seconds after the start); peak: the highest sample during the")
        print(f"c={pc} cells (RSS every 0.1 s, PSS every 1 s); after: after the load, once the trees are")
        print("back to their idle number of processes (or --after-wait has passed) and PSS has")
        print("settled as before (wait: seconds after the load); fsync/msg: fsync+fdatasync+sync_file_range")
        print("syscalls of the server process trees per message, counted with strace -f -c in a")
        print("separate run (c=10, 2048 bytes; strace slows the server, only the count is used)")
        print(f"{'system':<16} {'RSS idle':>8} {'PSS idle':>8} {'procs':>5} {'RSS set':>8} {'PSS set':>8} "
              f"{'sec':>4} {'RSS peak':>8} {'PSS peak':>8} "
              f"{'procs':>5} {'RSS aft':>8} {'PSS aft':>8} {'procs':>5} {'wait':>5} {'fsync/msg':>9} {'(msgs)':>6}")
        for s in systems:
            print(f"{s['label']:<16} {fmt(mb(s.get('rss_idle_kb'))):>8} {fmt(mb(s.get('pss_idle_kb'))):>8} "
                  f"{fmt(s.get('procs_idle'), '{}'):>5} "
                  f"{fmt(mb(s.get('rss_settled_kb'))):>8} {fmt(mb(s.get('pss_settled_kb'))):>8} "
                  f"{fmt(s.get('settled_s'), '{:.0f}'):>4} "
                  f"{fmt(mb(s.get('rss_peak_kb'))):>8} {fmt(mb(s.get('pss_peak_kb'))):>8} "
                  f"{fmt(s.get('procs_peak'), '{}'):>5} "
                  f"{fmt(mb(s.get('rss_after_kb'))):>8} {fmt(mb(s.get('pss_after_kb'))):>8} "
                  f"{fmt(s.get('procs_after'), '{}'):>5} {fmt(s.get('after_wait_s'), '{:.0f}'):>5} "
                  f"{fmt(s.get('fsync_per_msg'), '{:.2f}'):>9} {fmt(s.get('fsync_msgs'), '{}'):>6}")
    return 0


def other_pct(r):
    """CPU % of the whole machine used during the run by others (the driver's other_cpu_s)."""
    o, t = r.get("other_cpu_s"), max(r.get("accepted_s") or 0, r.get("delivered_s") or 0)
    if o is None or not t:
        return None
    return max(0.0, 100 * o / (t * (os.cpu_count() or 1)))


def mb(kb):
    return None if not kb else kb / 1024


def fmt_la(la):
    return "-" if not la else " ".join(f"{x:.2f}" for x in la)


# ---- small helpers for bench/smtp --------------------------------------------------------

def freeport(_a):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
    return 0


def wait_smtp(a):
    host, port = a.server.rsplit(":", 1)
    deadline = time.time() + a.seconds
    while time.time() < deadline:
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout=5) as s:
                s.settimeout(10)
                if s.recv(512).startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    try:
                        s.recv(512)
                    except OSError:
                        pass
                    return 0
        except OSError:
            pass
        time.sleep(0.2)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    l = sub.add_parser("load")
    l.add_argument("--label", required=True)
    l.add_argument("--server", required=True)
    l.add_argument("--maildir", required=True)
    l.add_argument("--rcpt", required=True)
    l.add_argument("--pid", action="append", default=[])
    l.add_argument("--driver", required=True)
    l.add_argument("--engine", default="")
    l.add_argument("--out", required=True)
    l.add_argument("--tmp", default="/tmp")
    l.add_argument("--sizes", default="2048,102400")
    l.add_argument("--conc", default="1,10,50")
    l.add_argument("-n", "--count", type=int, default=0, help="messages per cell (0: sized by warm-up)")
    l.add_argument("--quick", action="store_true", help="no warm-up; max(40, 2c) messages per cell")
    l.add_argument("--seconds", type=float, default=5.0, help="target length of a cell")
    l.add_argument("--warmup", type=int, default=50, help="warm-up messages per cell (at least 2c)")
    l.add_argument("--server-warmup", type=int, default=1000,
                   help="unmeasured messages at c=10 before the first cell (0: none)")
    l.add_argument("--max-count", type=int, default=20000)
    l.add_argument("--fsync-count", type=int, default=200, help="messages in the strace run (0: none)")
    l.add_argument("--quiet-wait", type=float, default=0)
    l.add_argument("--settle", type=float, default=2.0, help="seconds to wait before the idle RSS")
    l.add_argument("--settle-max", type=float, default=60,
                   help="at most this long, wait for PSS to settle after the start and the load (0: no settled figure)")
    l.add_argument("--settle-quiet", type=float, default=10,
                   help="PSS has settled when it has not fallen for this long")
    l.add_argument("--after-wait", type=float, default=90,
                   help="seconds to wait after the load for the idle process count (0: no after figures)")
    l.add_argument("--timeout", type=float, default=300)
    t = sub.add_parser("table")
    t.add_argument("results")
    t.add_argument("--baseline")
    t.add_argument("--second")
    sub.add_parser("freeport")
    w = sub.add_parser("wait-smtp")
    w.add_argument("server")
    w.add_argument("seconds", type=float)
    tr = sub.add_parser("tree")
    tr.add_argument("pid", nargs="+", type=int)
    a = ap.parse_args()
    if a.cmd == "load":
        return load(a)
    if a.cmd == "table":
        return table(a)
    if a.cmd == "freeport":
        return freeport(a)
    if a.cmd == "wait-smtp":
        return wait_smtp(a)
    if a.cmd == "tree":
        print("\n".join(str(p) for p in tree(a.pid)))
        return 0
    return 100


if __name__ == "__main__":
    sys.exit(main())
