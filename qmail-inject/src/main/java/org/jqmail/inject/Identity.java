package org.jqmail.inject;

import org.jqmail.control.Quote;
import org.jqmail.inject.Token822.Type;
import org.jqmail.io.Bytes;

/**
 * Who the message is from when the header does not say (qmail-inject(8)): the user, host and
 * personal name of the default From, and the user and host of the default envelope sender.
 */
final class Identity {
    final byte[] mailuser;
    final Type mailuserType;
    final byte[] mailhost;
    final byte[] mailruser;
    final byte[] mailrhost;
    final byte[] fullname;

    Identity(Env env) {
        mailhost = env.first("QMAILHOST", "MAILHOST");
        byte[] sh = env.get("QMAILSHOST");
        mailrhost = sh != null ? sh : mailhost;
        byte[] u = env.first("QMAILUSER", "MAILUSER", "USER", "LOGNAME");
        mailuser = u != null ? u : Bytes.ascii("anonymous");
        mailuserType = Quote.need(mailuser, 0, mailuser.length) ? Type.QUOTE : Type.ATOM;
        byte[] su = env.get("QMAILSUSER");
        mailruser = su != null ? su : mailuser;
        fullname = env.first("QMAILNAME", "MAILNAME", "NAME");
    }
}
