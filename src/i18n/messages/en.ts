/**
 * English messages: the source every other language mirrors (the type
 * `Messages` makes a missing or extra key a compile error). Placeholders are
 * i18next's `{{name}}`; values are plain text, escaped by the card that shows them.
 */
export const en = {
  conversation: {
    didNotUnderstand: "Sorry, I didn't understand that.",
    didYouMean: 'Did you mean one of these?',
    tryOneOfThese: 'This is what I can help with:',
    typeHelp: 'Type "help" to see everything I can do.',
    greeting: 'Hi {{name}}! I help you add a passkey in Microsoft Authenticator, get a Temporary Access Pass and check your sign-in methods. What do you need?',
    greetingNoName: 'Hi! I help you add a passkey in Microsoft Authenticator, get a Temporary Access Pass and check your sign-in methods. What do you need?',
    thanks: "You're welcome! Message me any time.",
    cancel: 'OK, I stopped. Nothing was changed. Type "help" whenever you want to start again.',
    privateOnly: "Let's talk about this in private: open a 1:1 chat with me and ask there.",
  },
  menu: {
    title: 'Hi {{name}}, what can I help with?',
    titleNoName: 'What can I help with?',
    intro: 'I can find out why a passkey in Microsoft Authenticator will not register, get you a Temporary Access Pass approved by the helpdesk, or show how phishing-resistant your sign-in is.',
    diagnose: 'Diagnose my passkey problem',
    tap: 'Request a Temporary Access Pass',
    status: 'My sign-in methods',
  },
  lookup: {
    whoTitle: 'Whom should I look up?',
    whoText: 'Type "status" and the person\'s address, for example "status megan@contoso.com".',
  },
  /** Button titles offering an intent ("did you mean …"). */
  actions: {
    diagnose: "Check why I can't add a passkey",
    'tap-request': 'Request a Temporary Access Pass',
    'tap-problem': "My Temporary Access Pass doesn't work",
    'lost-device': 'I lost or replaced my phone',
    status: 'Show my sign-in methods',
    'am-i-done': 'Am I done?',
    report: 'Show the passkey rollout report',
    nudge: 'Remind a group to set up passkeys',
    lookup: 'Look up a person',
    help: 'Show what I can do',
    greeting: 'Say hello',
    thanks: 'Say thanks',
    cancel: 'Stop',
  },
  questionCard: {
    title: 'A few questions about your phone',
    titleNamed: '{{name}}, a few questions about your phone',
    titleRevisiting: 'Change your answers',
    intro: "I checked your account and your organization's policies. Only you can answer these; skip any you don't know.",
    introRevisiting: 'Change what is wrong and leave the rest; an empty answer means "I don\'t know".',
    alreadyKnown: 'What I already know',
    foundSoFar: 'Found so far',
    submit: 'Check my answers',
    error: "That didn't work: {{error}}",
    yes: 'Yes',
    no: 'No',
    anotherPhone: 'Another phone',
    skip: "I'm not sure",
  },
  /** The diagnosis questions (src/diagnosis/questions.ts), by answer key. */
  questions: {
    device: { label: 'Which phone do you want the passkey on?', title: 'Phone' },
    platform: {
      label: 'What kind of phone is it?',
      title: 'Phone type',
      choices: { ios: 'iPhone (iOS)', android: 'Android' },
    },
    osVersion: { label: 'Which iOS or Android version does it run?', title: 'OS version', placeholder: 'e.g. 17.4 or 14' },
    registration: {
      label: 'Where are you adding the passkey?',
      title: 'Where the passkey is added',
      choices: {
        'same-device': 'In the Authenticator app on the phone (recommended)',
        'cross-device': 'From a computer, scanning a QR code with the phone',
      },
    },
    bluetooth: { label: 'Is Bluetooth turned on on both the phone and the computer?', title: 'Bluetooth on both devices' },
    computerManaged: { label: 'Is the computer you use company-managed?', title: 'Company-managed computer' },
    androidProfile: {
      label: 'Does your Android phone have a work profile?',
      title: 'Android profiles',
      choices: {
        personal: 'No, only a personal profile',
        work: 'Yes, and I use work apps only in the work profile',
        both: 'Yes, and I sign in from both profiles',
      },
    },
    authenticatorSetUp: { label: 'Is Microsoft Authenticator installed with your work account added?', title: 'Authenticator set up with the work account' },
    passkeyProviderEnabled: { label: 'Is Authenticator turned on as a passkey provider in the phone settings?', title: 'Authenticator on as passkey provider' },
    lostDevice: { label: 'Did you lose or replace the phone you used to sign in with?', title: 'Lost or replaced a phone' },
    errorText: { label: 'Did you see an error? Paste or type it here.', title: 'Error seen', placeholder: 'optional' },
  },
};

/** The shape every language provides: the same keys, string values. */
export type Messages = DeepStrings<typeof en>;
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
