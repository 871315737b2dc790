/**
 * Verbs as they were named before each flow's verbs took its name: cards already in people's
 * chats carry the old ones, and a click on them must still work.
 */
export const FORMER_VERBS: Record<string, string> = {
  'approval.answer': 'requests.answer',
  'approval.decide': 'requests.decide',
  'approval.list': 'requests.list',
  'approval.open': 'requests.open',
  'approval.withdraw': 'requests.withdraw',
  'ack.confirm': 'acknowledgement.confirm',
  'ack.export': 'acknowledgement.export',
  'ack.read': 'acknowledgement.read',
  'school.choose': 'menu.school',
};
