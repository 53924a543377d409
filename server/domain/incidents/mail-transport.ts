import nodemailer from "nodemailer";
import { config } from "@/server/config";
import { getDb } from "@/server/db";

/**
 * How the app sends mail (docs/operations.md#incident-notifications): over SMTP with
 * nodemailer when HOLDFAST_SMTP_URL is set; in demo mode without it, into the mail catcher
 * (the caught_mail table, shown at /admin/mail), so a demo shows its notifications with
 * nothing to configure; otherwise not at all (null).
 */

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  kind: "smtp" | "catcher";
  send(message: MailMessage): Promise<void>;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: "smtp",
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

export function catcherMailer(from: string): Mailer {
  return {
    kind: "catcher",
    async send(message) {
      await getDb().caughtMail.create({ data: { fromAddress: from, toAddresses: message.to, subject: message.subject, text: message.text } });
    },
  };
}

export function configuredMailer(): Mailer | null {
  const { alerts, demo } = config();
  if (alerts.smtpUrl) return smtpMailer(alerts.smtpUrl, alerts.mailFrom);
  return demo ? catcherMailer(alerts.mailFrom) : null;
}
