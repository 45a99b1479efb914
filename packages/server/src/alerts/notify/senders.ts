/**
 * Channel senders: a generic JSON webhook signed with HMAC-SHA256, a Slack-compatible
 * incoming webhook (`{ text, blocks }`) and email over SMTP (nodemailer). Each throws on
 * failure; the dispatcher retries.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Channel, EmailConfig, WebhookConfig } from '../schemas.ts';
import { type AlertMessage, detailLines, summary } from './message.ts';

/** Time limit of one delivery attempt. */
export const SEND_TIMEOUT_MS = 10_000;

/** `sha256=<hex>`: the HMAC-SHA256 of `body` keyed with `secret`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Sends one message to one channel; throws when the channel did not accept it. */
export async function sendToChannel(channel: Channel, message: AlertMessage): Promise<void> {
  if (channel.type === 'webhook') return sendWebhook(channel.config, message);
  if (channel.type === 'slack') return postJson(channel.config.url, JSON.stringify(slackBody(message)), {});
  return sendEmail(channel.config, message);
}

async function sendWebhook(config: WebhookConfig, message: AlertMessage): Promise<void> {
  const body = JSON.stringify(message);
  const headers: Record<string, string> = {
    ...config.headers,
    'x-argus-timestamp': String(Math.floor(Date.now() / 1000)),
    'x-argus-event': message.kind,
  };
  if (config.secret) headers['x-argus-signature'] = signBody(config.secret, body);
  await postJson(config.url, body, headers);
}

async function postJson(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'argus-alerts/1', ...headers },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  const text = await response.text().catch(() => '');
  if (!response.ok)
    throw new Error(`HTTP ${response.status} from ${new URL(url).host}: ${text.slice(0, 200)}`);
}

/** The Slack incoming-webhook body of a message. */
export function slackBody(message: AlertMessage): { text: string; blocks: unknown[] } {
  const text = summary(message);
  const fields = detailLines(message).slice(1, -2);
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150) } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: fields.map((l) => `• ${escapeSlack(l)}`).join('\n') || ' ' },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `<${message.links.rule}|Rule> · <${message.links.events}|History>` },
        ],
      },
    ],
  };
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeHtml(text: string): string {
  return escapeSlack(text).replace(/"/g, '&quot;');
}

async function sendEmail(config: EmailConfig, message: AlertMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls,
    auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  const lines = detailLines(message);
  const subject = summary(message);
  try {
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject,
      text: `${subject}\n\n${lines.join('\n')}\n`,
      html: `<h2>${escapeHtml(subject)}</h2>\n<ul>\n${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}\n</ul>\n`,
      headers: { 'X-Argus-Event': message.kind, 'X-Argus-Rule': message.rule.id },
    });
  } finally {
    transport.close();
  }
}
