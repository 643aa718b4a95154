import { PublishCommand } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { defineSchema } from '../core/define-schema.ts';
import { sns } from './aws-clients.ts';
import { env, perExecutionEnvironment } from './env.ts';

/**
 * One SNS topic per department (claims, underwriting, legal, finance, siu), created by CDK and
 * passed as `DEPARTMENT_TOPIC_ARNS` = JSON map department → topic ARN.
 */
const TopicArns = /* @__PURE__ */ defineSchema(() =>
  z.record(z.string(), z.string().check(z.startsWith('arn:'))),
);
const arns = perExecutionEnvironment(() => TopicArns.parse(JSON.parse(env('DEPARTMENT_TOPIC_ARNS'))));

export function departmentTopicArn(department: string): string | undefined {
  return arns()[department];
}

/** SNS: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters". */
const subjectLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').slice(0, 99);

export async function publishToDepartment(
  department: string,
  subject: string,
  message: string,
): Promise<string> {
  const TopicArn = departmentTopicArn(department);
  if (!TopicArn) throw new Error(`No topic configured for department ${department}`);
  const r = await sns().send(
    new PublishCommand({
      TopicArn,
      Subject: subjectLine(subject),
      Message: message,
      MessageAttributes: { department: { DataType: 'String', StringValue: department } },
    }),
  );
  return r.MessageId ?? '';
}
