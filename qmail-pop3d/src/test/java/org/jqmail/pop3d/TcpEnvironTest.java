package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tcp-env's variables and its reading of identification answers. */
class TcpEnvironTest {
    static InetSocketAddress addr(String ip, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void namesAreLowerCasedSoftFailuresNamedAndHardOnesUnset() throws IOException {
        TcpEnviron.Ptr ptr = a -> switch (a.getHostAddress()) {
            case "192.0.2.1" -> Bytes.ascii("Mail.Example.ORG");
            case "198.51.100.7" -> TcpEnviron.SOFT;
            default -> null;
        };
        assertEquals(List.of("-u", "TCPREMOTEINFO", "--", "PROTO=TCP", "TCPLOCALPORT=110", "TCPLOCALIP=192.0.2.1",
                "TCPLOCALHOST=mail.example.org", "TCPREMOTEPORT=40000", "TCPREMOTEIP=198.51.100.7",
                "TCPREMOTEHOST=softdnserror"),
                TcpEnviron.changes(addr("192.0.2.1", 110), addr("198.51.100.7", 40000), ptr, null));
        assertEquals(List.of("-u", "TCPLOCALHOST", "-u", "TCPREMOTEHOST", "--", "PROTO=TCP", "TCPLOCALPORT=25",
                "TCPLOCALIP=127.0.0.1", "TCPREMOTEPORT=1", "TCPREMOTEIP=127.0.0.2", "TCPREMOTEINFO=joe"),
                TcpEnviron.changes(addr("127.0.0.1", 25), addr("127.0.0.2", 1), ptr, (r, l) -> Bytes.ascii("joe")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"6191, 23 : USERID : UNIX : stjohns\r\n\"|stjohns",
        "\"6191 , 23:USERID:OTHER:  a b\tc:d \r\n\"|abc:d",
        "\"6193, 23 : ERROR : NO-USER\r\n\"|\"\"",
        "\"1,2:USERID:UNIX:\n\"|\"\"",
    })
    void answersAfterTheThirdColonWithoutBlanks(String answer, String info) throws IOException {
        assertEquals(info, Bytes.str(RemoteInfo.parse(new ByteArrayInputStream(Bytes.ascii(answer)))));
    }

    @Test
    void noLineNoAnswerAndTheBound() throws IOException {
        assertNull(RemoteInfo.parse(new ByteArrayInputStream(Bytes.ascii("1,2:USERID:UNIX:joe"))));
        byte[] longer = Bytes.ascii("1,2:USERID:UNIX:" + "x".repeat(2000) + "\r\n");
        assertArrayEquals(Bytes.ascii("x".repeat(RemoteInfo.MAX)), RemoteInfo.parse(new ByteArrayInputStream(longer)));
    }
}
