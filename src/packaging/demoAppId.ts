/** The app and bot id of the committed manifest, used when no MicrosoftAppId is given (demo package, Playground). */
export const DEMO_APP_ID = '00000000-0000-4000-8000-000000000001';
