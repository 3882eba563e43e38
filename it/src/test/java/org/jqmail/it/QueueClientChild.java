package org.jqmail.it;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Fds;

/**
 * The child side of {@link QueueClientExecIT}: submits one message through
 * {@link QueueClient#open} with QMAILHOME {@code args[0]} (and {@code QMAILQUEUE} from the
 * environment) and writes {@code status=STATUS} on fd 1.
 */
public final class QueueClientChild {
    private QueueClientChild() {
    }

    public static void main(String[] args) throws Exception {
        QueueClient qq = QueueClient.open(Auto.load(Path.of(args[0])));
        qq.puts("Subject: hi\n\nbody\n");
        qq.put(new byte[] {0, (byte) 0xff});
        qq.from("a@b".getBytes(StandardCharsets.ISO_8859_1));
        qq.to("c@d".getBytes(StandardCharsets.ISO_8859_1));
        qq.to("e@f".getBytes(StandardCharsets.ISO_8859_1));
        String status = qq.close();
        OutputStream out = Fds.out(1);
        out.write(("status=" + status + "\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
