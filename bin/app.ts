import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../lib/config.ts';
import { createClaimsApp } from '../lib/claims-app.ts';

const app = new App();
const config = loadConfig(app.node);

createClaimsApp(app, config);
Tags.of(app).add('project', 'vn-claims');
Tags.of(app).add('stage', config.stage);

// cdk-nag 3 is a policy-validation plugin: it runs on every synth and fails it on unacknowledged errors.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
