// SNS stand-in and "local inbox" for SMS and department (topic) messages.
//
// Speaks the wire protocol @aws-sdk/client-sns uses: the Query protocol (form-encoded POST with
// `Action=Publish`, XML responses). As of @aws-sdk/client-sns 3.1169 that is still what it sends, but
// AWS is moving Query services to AWS JSON 1.0 (`X-Amz-Target: AmazonSNS.Publish`), so both are served.
// Only what the claims system uses is implemented: Publish, CreateTopic, ListTopics, Subscribe,
// ListSubscriptionsByTopic, DeleteTopic.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import {
  closeServer,
  createJsonServer,
  escapeXml,
  HttpError,
  isRecord,
  LOCAL_HOST,
  listen,
  readBody,
  sendJson,
  sendText,
} from './http.ts';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS rejects messages over 256 KiB (bytes, UTF-8). */
const MAX_MESSAGE_BYTES = 256 * 1024;
const E164 = /^\+[1-9]\d{1,14}$/;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export interface SnsMessageAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64, as it travels on the wire. */
  BinaryValue?: string;
}

export interface SnsInboxMessage {
  messageId: string;
  /** ISO time the stand-in accepted the message. */
  at: string;
  kind: 'sms' | 'topic';
  /** E.164 phone number or topic ARN. */
  to: string;
  topicName?: string;
  subject?: string;
  message: string;
  attributes: Record<string, SnsMessageAttribute>;
  messageGroupId?: string;
}

export interface SnsTopic {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  subscriptions: Array<{ arn: string; protocol: string; endpoint: string }>;
}

export interface SnsLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  region?: string;
  accountId?: string;
  /** Topic names created at start (the CDK stack creates them in AWS). */
  topics?: string[];
  /** Also append every accepted message as one JSON line to this file. */
  logFile?: string;
}

export interface SnsLocal {
  /** e.g. `http://127.0.0.1:4575`; set it as `AWS_ENDPOINT_URL_SNS`. Inbox page at `${endpoint}/`. */
  endpoint: string;
  port: number;
  topicArn(name: string): string;
  /** Newest first; `to` matches a phone number, a topic ARN or a topic name. */
  messages(filter?: { to?: string }): SnsInboxMessage[];
  clear(): void;
  /** Called for every accepted message (e.g. to fan out to local subscribers). Returns unsubscribe. */
  onPublish(listener: (message: SnsInboxMessage) => void | Promise<void>): () => void;
  stop(): Promise<void>;
}

/** An SNS API error; `type` is the Query protocol's Sender/Receiver fault. */
class SnsError extends HttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(status, code, message);
  }
}

const invalid = (message: string) => new SnsError(400, 'InvalidParameter', message);

/** The operation input after protocol decoding: Query flattening and JSON both end up here. */
interface SnsRequest {
  action: string;
  params: Record<string, unknown>;
}

export async function startSnsLocal(options: SnsLocalOptions = {}): Promise<SnsLocal> {
  const region = options.region ?? 'ap-southeast-1';
  const accountId = options.accountId ?? '000000000000';
  const topicArn = (name: string) => `arn:aws:sns:${region}:${accountId}:${name}`;
  const topics = new Map<string, SnsTopic>();
  let inbox: SnsInboxMessage[] = [];
  const listeners = new Set<(message: SnsInboxMessage) => void | Promise<void>>();
  if (options.logFile) await mkdir(dirname(options.logFile), { recursive: true });

  const createTopic = (name: string, attributes: Record<string, string> = {}): SnsTopic => {
    if (!TOPIC_NAME.test(name)) {
      throw invalid('Invalid parameter: Topic Name');
    }
    const arn = topicArn(name);
    const existing = topics.get(arn);
    if (existing) return existing; // CreateTopic is idempotent
    const topic: SnsTopic = { arn, name, attributes, subscriptions: [] };
    topics.set(arn, topic);
    return topic;
  };
  for (const name of options.topics ?? []) createTopic(name);

  const findTopic = (arn: unknown): SnsTopic => {
    if (typeof arn !== 'string' || arn === '') throw invalid('Invalid parameter: TopicArn');
    if (!arn.startsWith('arn:aws:sns:'))
      throw invalid('Invalid parameter: TopicArn Reason: An ARN must have 6 parts');
    const topic = topics.get(arn);
    if (!topic) throw new SnsError(404, 'NotFound', 'Topic does not exist');
    return topic;
  };

  const publish = async (p: Record<string, unknown>): Promise<{ MessageId: string }> => {
    const message = p['Message'];
    if (typeof message !== 'string' || message.length === 0) {
      throw invalid('Invalid parameter: Empty message');
    }
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalid('Invalid parameter: Message too long');
    const targets = ['TopicArn', 'TargetArn', 'PhoneNumber'].filter((k) => p[k] !== undefined && p[k] !== '');
    if (targets.length !== 1) {
      throw invalid(
        targets.length === 0
          ? 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter'
          : 'Invalid parameter: TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given',
      );
    }
    const subject = p['Subject'];
    if (subject !== undefined) {
      if (
        typeof subject !== 'string' ||
        subject.length === 0 ||
        subject.length > 100 ||
        /[\r\n]/.test(subject)
      ) {
        throw invalid('Invalid parameter: Subject');
      }
    }
    let body = message;
    if (p['MessageStructure'] !== undefined) {
      if (p['MessageStructure'] !== 'json') throw invalid('Invalid parameter: MessageStructure');
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw invalid('Invalid parameter: Message Structure - JSON message body failed to parse');
      }
      if (!isRecord(parsed) || typeof parsed['default'] !== 'string') {
        throw invalid('Invalid parameter: Message Structure - No default entry in JSON message body');
      }
      body = String(parsed[p['PhoneNumber'] !== undefined ? 'sms' : 'default'] ?? parsed['default']);
    }
    const attributes = validateAttributes(p['MessageAttributes']);

    let record: SnsInboxMessage;
    const base = { messageId: randomUUID(), at: new Date().toISOString(), message: body, attributes };
    if (p['PhoneNumber'] !== undefined) {
      const phone = String(p['PhoneNumber']);
      if (!E164.test(phone)) {
        throw invalid('Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
      }
      record = { ...base, kind: 'sms', to: phone };
    } else {
      const topic = findTopic(p['TopicArn'] ?? p['TargetArn']);
      if (topic.name.endsWith('.fifo') && typeof p['MessageGroupId'] !== 'string') {
        throw invalid('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
      }
      record = { ...base, kind: 'topic', to: topic.arn, topicName: topic.name };
      if (typeof p['MessageGroupId'] === 'string') record.messageGroupId = p['MessageGroupId'];
    }
    if (typeof subject === 'string') record.subject = subject;
    inbox.push(record);
    if (options.logFile) await appendFile(options.logFile, `${JSON.stringify(record)}\n`);
    for (const listener of listeners) {
      Promise.resolve()
        .then(() => listener(record))
        .catch((err: unknown) => console.error('[sns-local] onPublish listener failed:', err));
    }
    return { MessageId: record.messageId };
  };

  /** Executes one operation; returns the result members (same names in XML and JSON). */
  const execute = async ({ action, params: p }: SnsRequest): Promise<Record<string, unknown>> => {
    switch (action) {
      case 'Publish':
        return publish(p);
      case 'CreateTopic': {
        if (typeof p['Name'] !== 'string') throw invalid('Invalid parameter: Topic Name');
        const attrs = isRecord(p['Attributes']) ? (p['Attributes'] as Record<string, string>) : {};
        return { TopicArn: createTopic(p['Name'], attrs).arn };
      }
      case 'ListTopics':
        return { Topics: [...topics.values()].map((t) => ({ TopicArn: t.arn })) };
      case 'DeleteTopic':
        topics.delete(String(p['TopicArn'] ?? ''));
        return {};
      case 'Subscribe': {
        const topic = findTopic(p['TopicArn']);
        const protocol = String(p['Protocol'] ?? '');
        if (
          ![
            'http',
            'https',
            'email',
            'email-json',
            'sms',
            'sqs',
            'application',
            'lambda',
            'firehose',
          ].includes(protocol)
        ) {
          throw invalid('Invalid parameter: Amazon SNS does not support this protocol string');
        }
        const arn = `${topic.arn}:${randomUUID()}`;
        topic.subscriptions.push({ arn, protocol, endpoint: String(p['Endpoint'] ?? '') });
        return { SubscriptionArn: arn };
      }
      case 'ListSubscriptionsByTopic': {
        const topic = findTopic(p['TopicArn']);
        return {
          Subscriptions: topic.subscriptions.map((s) => ({
            SubscriptionArn: s.arn,
            Owner: accountId,
            Protocol: s.protocol,
            Endpoint: s.endpoint,
            TopicArn: topic.arn,
          })),
        };
      }
      default:
        throw new SnsError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.headers['x-amz-target'];
    const json = typeof target === 'string';
    const requestId = randomUUID();
    let action = '';
    try {
      const raw = (await readBody(req, 2 * MAX_MESSAGE_BYTES)).toString('utf8');
      let request: SnsRequest;
      if (json) {
        action = target.replace(/^AmazonSNS\./, '');
        let params: unknown;
        try {
          params = raw.trim() === '' ? {} : JSON.parse(raw);
        } catch {
          throw new SnsError(400, 'SerializationException', 'Request body is not valid JSON');
        }
        if (!isRecord(params))
          throw new SnsError(400, 'SerializationException', 'Request body must be an object');
        request = { action, params };
      } else {
        request = decodeQuery(new URLSearchParams(raw));
        action = request.action;
        if (!action) throw new SnsError(400, 'MissingAction', 'Missing Action');
      }
      const result = await execute(request);
      if (json) sendJson(res, 200, result, { 'x-amzn-requestid': requestId }, 'application/x-amz-json-1.0');
      else
        sendText(res, 200, 'text/xml', toXmlResponse(action, result, requestId), {
          'x-amzn-requestid': requestId,
        });
    } catch (err) {
      const e =
        err instanceof SnsError
          ? err
          : err instanceof HttpError
            ? new SnsError(err.status, err.code, err.message)
            : new SnsError(500, 'InternalError', 'Internal error in local SNS', 'Receiver');
      if (!(err instanceof HttpError)) console.error('[sns-local] unexpected error:', err);
      if (json) {
        sendJson(
          res,
          e.status,
          { __type: e.code, message: e.message },
          {
            'x-amzn-requestid': requestId,
            'x-amzn-query-error': `${e.code};${e.type}`,
          },
          'application/x-amz-json-1.0',
        );
      } else {
        sendText(
          res,
          e.status,
          'text/xml',
          `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${e.type}</Type><Code>${escapeXml(e.code)}</Code>` +
            `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
          { 'x-amzn-requestid': requestId },
        );
      }
    }
  };

  const filterMessages = (to?: string | null) =>
    [...inbox].reverse().filter((m) => !to || m.to === to || m.topicName === to);

  const server = createJsonServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/') return handleApi(req, res);
    if (req.method === 'GET' && url.pathname === '/inbox') {
      return sendJson(res, 200, filterMessages(url.searchParams.get('to')));
    }
    if (req.method === 'POST' && url.pathname === '/inbox/clear') {
      const cleared = inbox.length;
      inbox = [];
      // The inbox page's "Clear" button posts a form: send the browser back to the page.
      if (String(req.headers.accept ?? '').includes('text/html')) {
        res.writeHead(303, { location: '/' });
        res.end();
        return;
      }
      return sendJson(res, 200, { cleared });
    }
    if (req.method === 'GET' && url.pathname === '/') {
      return sendText(
        res,
        200,
        'text/html; charset=utf-8',
        renderInbox(filterMessages(url.searchParams.get('to'))),
      );
    }
    sendJson(res, 404, { message: `No route for ${req.method} ${url.pathname}` });
  }, 'sns-local');

  const port = await listen(server, options.port ?? 0);
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    topicArn,
    messages: (filter) => filterMessages(filter?.to),
    clear: () => {
      inbox = [];
    },
    onPublish(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => closeServer(server),
  };
}

/**
 * Turns Query-protocol form fields into the operation's input shape. Maps arrive flattened as
 * `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` (and
 * `Attributes.entry.N.key` / `.value` for CreateTopic); everything else is a plain scalar.
 */
function decodeQuery(form: URLSearchParams): SnsRequest {
  const params: Record<string, unknown> = {};
  const maps: Record<string, Map<string, Record<string, string>>> = {};
  for (const [key, value] of form) {
    const m = /^(\w+)\.entry\.(\d+)\.(.+)$/.exec(key);
    if (m) {
      const [, mapName, index, field] = m as unknown as [string, string, string, string];
      const entries = maps[mapName] ?? new Map<string, Record<string, string>>();
      maps[mapName] = entries;
      const entry = entries.get(index) ?? {};
      entry[field] = value;
      entries.set(index, entry);
      continue;
    }
    if (key !== 'Action' && key !== 'Version') params[key] = value;
  }
  for (const [mapName, entries] of Object.entries(maps)) {
    const out: Record<string, unknown> = {};
    for (const entry of entries.values()) {
      const name = entry['Name'] ?? entry['key'];
      if (name === undefined) throw invalid(`Invalid parameter: ${mapName} entry without a name`);
      if (entry['value'] !== undefined) out[name] = entry['value'];
      else {
        const attr: Record<string, string> = {};
        for (const [k, v] of Object.entries(entry)) if (k.startsWith('Value.')) attr[k.slice(6)] = v;
        out[name] = attr;
      }
    }
    params[mapName] = out;
  }
  return { action: form.get('Action') ?? '', params };
}

function validateAttributes(raw: unknown): Record<string, SnsMessageAttribute> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw invalid('Invalid parameter: MessageAttributes');
  const out: Record<string, SnsMessageAttribute> = {};
  const entries = Object.entries(raw);
  if (entries.length > 10)
    throw invalid('Invalid parameter: MessageAttributes Reason: more than 10 attributes');
  for (const [name, value] of entries) {
    if (!isRecord(value) || typeof value['DataType'] !== 'string') {
      throw invalid(
        `Invalid parameter: The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    }
    const dataType = value['DataType'];
    if (!/^(String|Number|Binary|String\.Array)(\..+)?$/.test(dataType)) {
      throw invalid(
        `Invalid parameter: The message attribute '${name}' has an invalid message attribute type`,
      );
    }
    const attr: SnsMessageAttribute = { DataType: dataType };
    if (typeof value['StringValue'] === 'string') attr.StringValue = value['StringValue'];
    if (typeof value['BinaryValue'] === 'string') attr.BinaryValue = value['BinaryValue'];
    if (attr.StringValue === undefined && attr.BinaryValue === undefined) {
      throw invalid(
        `Invalid parameter: The message attribute '${name}' must contain non-empty message attribute value.`,
      );
    }
    if (dataType.startsWith('Number') && !Number.isFinite(Number(attr.StringValue))) {
      throw invalid(`Invalid parameter: The message attribute '${name}' has an invalid Number value`);
    }
    out[name] = attr;
  }
  return out;
}

/** `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata>…` as SNS returns it. */
function toXmlResponse(action: string, result: Record<string, unknown>, requestId: string): string {
  const members = Object.entries(result)
    .map(([k, v]) => xmlMember(k, v))
    .join('');
  return (
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${members}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function xmlMember(name: string, value: unknown): string {
  if (Array.isArray(value)) {
    return `<${name}>${value.map((item) => xmlMember('member', item)).join('')}</${name}>`;
  }
  if (isRecord(value)) {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => xmlMember(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function renderInbox(messages: SnsInboxMessage[]): string {
  const rows = messages
    .map((m) => {
      const attrs = Object.entries(m.attributes)
        .map(([k, v]) => `${escapeXml(k)}=${escapeXml(v.StringValue ?? `(binary ${v.DataType})`)}`)
        .join(', ');
      return `<li class="${m.kind}"><div class="meta"><span class="kind">${m.kind === 'sms' ? 'SMS' : 'Topic'}</span>
<strong>${escapeXml(m.kind === 'sms' ? m.to : (m.topicName ?? m.to))}</strong>
<time datetime="${m.at}">${escapeXml(m.at)}</time></div>
${m.subject ? `<div class="subject">${escapeXml(m.subject)}</div>` : ''}
<pre>${escapeXml(m.message)}</pre>${attrs ? `<div class="attrs">${attrs}</div>` : ''}</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local inbox — SMS &amp; topics</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
ul{list-style:none;padding:0}li{border:1px solid #ccc;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
li.sms{border-left:6px solid #2a7ae2}li.topic{border-left:6px solid #8a2be2}
.meta{display:flex;gap:1rem;align-items:baseline}.kind{font-size:.8rem;text-transform:uppercase;color:#555}
time{margin-left:auto;color:#555;font-size:.85rem}.subject{font-weight:600;margin-top:.4rem}
pre{white-space:pre-wrap;word-break:break-word;font:inherit;margin:.4rem 0}.attrs{font-size:.8rem;color:#555}
</style></head><body>
<h1>Local inbox</h1>
<p>SMS and SNS topic messages sent by the local stack, newest first (${messages.length}).
<form method="post" action="/inbox/clear" style="display:inline"><button>Clear</button></form></p>
${messages.length ? `<ul>${rows}</ul>` : '<p><em>No messages yet.</em></p>'}
</body></html>`;
}
