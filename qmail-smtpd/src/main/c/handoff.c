/*
 * bin/qmail-smtpd, the hand-off: what tcpserver (or rblsmtpd, softlimit, recordio, ...) runs
 * for each SMTP connection. It hands the connection over to the running SMTP listener
 * (qmail-smtpd-listener), which holds a warm JVM, instead of starting a JVM of its own: fds 0
 * and 1 go over a Unix-domain socket as SCM_RIGHTS, together with argv and the whole
 * environment (TCPREMOTEIP, RELAYCLIENT, DATABYTES, QMAILQUEUE, ...). Then it waits for the
 * session to end and exits with the session's status, as qmail-smtpd would, so tcpserver's
 * -c limit and its "end" lines keep counting the session.
 *
 * When the listener cannot take the connection (not running, socket unreachable, hand-off
 * refused, environment too large), it execs the JVM qmail-smtpd instead: mail still flows.
 * The listener touches the descriptors only after its one-byte acceptance, so a refused
 * hand-off leaves the connection untouched for the JVM program.
 *
 * Exit status: the session's (0 after QUIT, 1 otherwise); 111 when the listener vanished in
 * the middle of the session, or the JVM program cannot be run.
 *
 * Built by scripts/install with the system's C compiler, HANDOFF_SOCKET and SMTPD_JVM defined
 * from the installation's prefix. No dynamic allocation. Why this file exists, the record's
 * layout, and who may hand off (SO_PEERCRED: root and qmaild only): doc/HANDOFF.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef HANDOFF_SOCKET
#error "define HANDOFF_SOCKET, the listener's hand-off socket"
#endif
#ifndef SMTPD_JVM
#error "define SMTPD_JVM, the JVM qmail-smtpd to run when the listener cannot take over"
#endif

/* The record's first word; the listener refuses any other. */
#define MAGIC "jqmail-handoff-1"
/* The largest record; the listener's buffer has the same size (Handoff.RECORD_MAX). */
#define RECORD_MAX 65536
/* The listener's answer when it has taken the descriptors. */
#define TAKEN 'K'

_Static_assert(sizeof HANDOFF_SOCKET <= sizeof ((struct sockaddr_un *) 0)->sun_path,
               "HANDOFF_SOCKET is too long for a Unix-domain socket address");

extern char **environ;

/* scripts/install recognises its own program by this text and replaces only that. */
static const char ident[] __attribute__((used)) = "jqmail hand-off, compiled by scripts/install";

static char record[RECORD_MAX];
static size_t used;

/* Appends kind, then s with its NUL; 0 when the record has no room left. */
static int add(char kind, const char *s)
{
  size_t n = strlen(s);
  if (n > sizeof record - used || sizeof record - used - n < 2) return 0;
  record[used++] = kind;
  memcpy(record + used, s, n + 1);
  used += n + 1;
  return 1;
}

__attribute__((noreturn)) static void jvm(char **argv)
{
  static const char msg[] = "qmail-smtpd: fatal: unable to run " SMTPD_JVM "\n";
  ssize_t w;
  execv(SMTPD_JVM, argv);
  w = write(2, msg, sizeof msg - 1);
  (void) w;
  _exit(111);
}

/* The next one-byte record from the listener; -1 at its end or on an error. */
static int answer(int s)
{
  unsigned char c;
  ssize_t r;
  do r = read(s, &c, 1); while (r < 0 && errno == EINTR);
  return r == 1 ? c : -1;
}

int main(int argc, char **argv)
{
  static char name[] = "qmail-smtpd";
  static char *none[] = { name, 0 };
  struct sockaddr_un sa;
  struct iovec iov;
  struct msghdr msg;
  struct cmsghdr *cm;
  union { struct cmsghdr align; char space[CMSG_SPACE(2 * sizeof(int))]; } control;
  const int fds[2] = { 0, 1 };
  char **p;
  ssize_t r;
  int s;
  int status;

  if (argc < 1 || !argv[0]) argv = none;
  memcpy(record, MAGIC, sizeof MAGIC);
  used = sizeof MAGIC;
  for (p = argv; *p; ++p)
    if (!add('a', *p)) jvm(argv);
  for (p = environ; p && *p; ++p)
    if (!add('e', *p)) jvm(argv);

  s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (s < 0) jvm(argv);
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  memcpy(sa.sun_path, HANDOFF_SOCKET, sizeof HANDOFF_SOCKET);
  if (connect(s, (struct sockaddr *) &sa, sizeof sa) < 0) {
    close(s);
    jvm(argv);
  }

  memset(&msg, 0, sizeof msg);
  memset(&control, 0, sizeof control);
  iov.iov_base = record;
  iov.iov_len = used;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.space;
  msg.msg_controllen = sizeof control.space;
  cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof fds);
  memcpy(CMSG_DATA(cm), fds, sizeof fds);
  do r = sendmsg(s, &msg, MSG_NOSIGNAL); while (r < 0 && errno == EINTR);

  /* Not sent, refused, or the listener went away before taking it: nobody has read or
     written the connection yet, so the JVM program can serve it from the start. */
  if (r < 0 || (size_t) r != used || answer(s) != TAKEN) {
    close(s);
    jvm(argv);
  }

  /* The listener holds the connection now; it ends when the listener closes it. */
  close(0);
  close(1);
  status = answer(s);
  _exit(status < 0 ? 111 : status);
}
