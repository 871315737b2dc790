import type { Flow } from './types';
import { menuFlow } from './menu';
import { inboxFlow, requestsFlow } from './requests';
import { softwareFlow } from './software';
import { breachFlow, breachLogFlow } from './breach';
import { permissionsFlow } from './permissions';
import { deviceFlow } from './device';
import { policyFlow } from './policy';
import { consentFlow, consentOfficeFlow } from './consent';
import { acknowledgementFlow, attestationsFlow } from './acknowledgement';
import { peopleFlow } from './people';
import { subjectAccessFlow } from './subject-access';
import { infoRequestsFlow } from './info-requests';
import { retentionFlow } from './retention';
import { governorsFlow } from './governors';
import { leaversFlow } from './leavers';
import { absenceBackFlow, absenceFlow } from './absence';

/**
 * Every flow of the bot, in menu order. Adding a flow: its folder, its cards, its test and one line
 * here (the manifest's commands come from the menu flows; a structure test checks the rest).
 */
export function allFlows(): Flow[] {
  const flows: Flow[] = [
    breachFlow,
    softwareFlow,
    deviceFlow,
    permissionsFlow,
    consentFlow,
    requestsFlow,
    inboxFlow,
    policyFlow,
    breachLogFlow,
    consentOfficeFlow,
    acknowledgementFlow,
    attestationsFlow,
    peopleFlow,
    subjectAccessFlow,
    infoRequestsFlow,
    retentionFlow,
    leaversFlow,
    absenceFlow,
    absenceBackFlow,
  ];
  return [...flows, governorsFlow(() => flows), menuFlow(() => flows)];
}
