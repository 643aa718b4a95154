/** The customer's answers to an information request and an inspection (./requests.ts, shared with the web apps). */
export { InfoResponseBody, InspectionReplyBody } from './requests.ts';
