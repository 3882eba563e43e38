package org.jqmail.io.nat;

import java.io.IOException;
import java.util.List;

/** Placeholder: the jnr-backed implementation is being written (issue 2). */
final class JnrPosix implements Posix {
    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("native layer not implemented yet");
    }

    @Override public int getuid() { throw todo(); }
    @Override public int geteuid() { throw todo(); }
    @Override public int getgid() { throw todo(); }
    @Override public int getegid() { throw todo(); }
    @Override public int getpid() { throw todo(); }
    @Override public int[] getgroups() { throw todo(); }
    @Override public Passwd getpwnam(String name) { throw todo(); }
    @Override public Passwd getpwuid(int uid) { throw todo(); }
    @Override public Group getgrnam(String name) { throw todo(); }
    @Override public void setgroups(int[] gids) { throw todo(); }
    @Override public void initgroups(String user, int gid) { throw todo(); }
    @Override public void setgid(int gid) { throw todo(); }
    @Override public void setuid(int uid) { throw todo(); }
    @Override public int umask(int mask) { throw todo(); }
    @Override public int[] pipe() { throw todo(); }
    @Override public void close(int fd) { throw todo(); }
    @Override public void dup2(int from, int to) { throw todo(); }
    @Override public void setCloexec(int fd, boolean on) { throw todo(); }
    @Override public void setNonblock(int fd, boolean on) { throw todo(); }
    @Override public int open(String path, int flags, int mode) { throw todo(); }
    @Override public int read(int fd, byte[] buf, int off, int len) { throw todo(); }
    @Override public int write(int fd, byte[] buf, int off, int len) { throw todo(); }
    @Override public int pread(int fd, byte[] buf, int off, int len, long pos) { throw todo(); }
    @Override public int pwrite(int fd, byte[] buf, int off, int len, long pos) { throw todo(); }
    @Override public void fsync(int fd) { throw todo(); }
    @Override public void ftruncate(int fd, long len) { throw todo(); }
    @Override public boolean flock(int fd, int op) { throw todo(); }
    @Override public Stat stat(String path) { throw todo(); }
    @Override public Stat lstat(String path) { throw todo(); }
    @Override public Stat fstat(int fd) { throw todo(); }
    @Override public void chown(String path, int uid, int gid) { throw todo(); }
    @Override public void chmod(String path, int mode) { throw todo(); }
    @Override public void mkfifo(String path, int mode) { throw todo(); }
    @Override public void link(String from, String to) { throw todo(); }
    @Override public void utimes(String path, long atime, long mtime) { throw todo(); }
    @Override public long spawn(String path, List<String> argv, List<String> env, int[] fdMap, String cwd) { throw todo(); }
    @Override public WaitStatus waitpid(long pid, boolean nohang) { throw todo(); }
    @Override public void kill(long pid, int sig) { throw todo(); }
    @Override public void exec(String path, List<String> argv, List<String> env, int keepBelow) throws IOException { throw todo(); }
}
