/**
 * Slot extraction by explicit rules (word lists and patterns), the same for
 * every language: a German speaker may write "QR-Code" or "work profile" too.
 * Keyword slots read the normalised, typo-corrected text; the pasted error,
 * the address and the group read what was typed.
 */
import { damerauLevenshtein } from './fuzzy';
import { normalizeText, tokenize } from './normalize';
import type { Slots } from './port';

const IOS_WORDS = ['iphone', 'iphones', 'ipad', 'ios', 'ipados', 'apple'];
const ANDROID_WORDS = [
  'android', 'samsung', 'galaxy', 'pixel', 'xiaomi', 'redmi', 'oneplus', 'huawei', 'motorola', 'moto', 'nokia',
  'oppo', 'vivo', 'xperia', 'honor', 'realme', 'fairphone',
];
const CROSS_DEVICE_WORDS = [
  'qr', 'qrcode', 'laptop', 'laptops', 'computer', 'computers', 'pc', 'mac', 'macbook', 'desktop', 'notebook', 'browser', 'windows',
  'scan', 'scanned', 'scanning', 'rechner', 'scanne', 'scannen', 'gescannt', 'ordinateur', 'ordi', 'navigateur', 'scanner', 'scanne',
  'ordenador', 'computadora', 'portatil', 'navegador', 'escanear', 'escaneo', 'escanee', 'escaneando',
];
/** Adding the passkey on the phone itself (in Authenticator). */
const SAME_DEVICE = new RegExp(
  [
    '\\b(in|inside|within|via|through|from|using) (the )?(microsoft )?authenticator\\b',
    '\\b(on|from) (the|my) phone (itself|directly)\\b',
    '\\bdirectly (on|in) (the|my) (phone|authenticator)',
    '\\bsame (device|phone)\\b',
    '\\b(in|mit|uber) der (microsoft )?authenticator\\b',
    '\\bdirekt (auf|am|im|in) (dem |der |meinem )?(handy|telefon|smartphone|authenticator)',
    '\\b(gleichen|selben) (gerat|handy|telefon)\\b',
    '\\b(dans|depuis|via) (l )?(application |appli |app )?(microsoft )?authenticator\\b',
    '\\bdirectement (sur|dans) (mon|le|l) ?(telephone|application|authenticator)',
    '\\bmeme (appareil|telephone)\\b',
    '\\b(en|desde) (la )?(aplicacion |app )?(de )?(microsoft )?authenticator\\b',
    '\\bdirectamente en (el|mi|la) (movil|telefono|celular|aplicacion|authenticator)',
    '\\bmismo (dispositivo|telefono|movil)\\b',
  ].join('|'),
);
const WORK_PROFILE = /\b(work|business|company|corporate) profile\b|\b(arbeitsprofil|geschaftsprofil|dienstprofil|firmenprofil)\b|\b(beruflichen?|geschaftlichen?) profil\b|\bprofil (professionnel|pro|de travail|entreprise)\b|\bperfil (de trabajo|laboral|profesional|de empresa)\b/;
const PERSONAL_PROFILE = /\b(personal|private|own) profile\b|\b(privates?|privaten|personliches?|personlichen) profil\b|\bprivatprofil\b|\bprofil (personnel|perso|prive)\b|\bperfil (personal|privado)\b/;

const BLUETOOTH = '(bluetooth|bt)';
const BLUETOOTH_OFF = new RegExp(
  [
    `${BLUETOOTH} (is |ist |est |esta |was |war )?(still )?(off|disabled|deactivated|turned off|switched off|not on|not enabled|not turned on|aus|ausgeschaltet|abgeschaltet|deaktiviert|nicht an|nicht aktiv|nicht eingeschaltet|desactive|eteint|coupe|desactivado|apagado|no activado)\\b`,
    `\\b(no|without|kein|keinen|ohne|pas de|pas le|sans|sin) ${BLUETOOTH}\\b`,
    `${BLUETOOTH} (doesnt|does not|isnt|is not|wont|cant|wasnt|funktioniert nicht|geht nicht|nicht|ne marche pas|ne fonctionne pas|n est pas|nest pas|no funciona|no esta|no)\\b`,
    `\\b(turned|switched|turn|switch) off (the |my )?${BLUETOOTH}`,
    `\\b(disabled|deactivated) (the |my )?${BLUETOOTH}`,
    `\\b(dont|do not|didnt) (have|use|turn on|enable) ${BLUETOOTH}`,
  ].join('|'),
);
const BLUETOOTH_ON = new RegExp(
  [
    `${BLUETOOTH} (is |ist |est |esta |was |war )?(already |bereits |deja |ya )?(on|enabled|turned on|switched on|activated|an|eingeschaltet|aktiviert|aktiv|active|activee|allume|activado|encendido|activo)\\b`,
    `\\b(turned|switched) on (the |my )?${BLUETOOTH}`,
    `\\b(enabled|activated) (the |my )?${BLUETOOTH}`,
  ].join('|'),
);

const LOSS_WORDS = [
  'lost', 'lose', 'losing', 'misplaced', 'broke', 'broken', 'smashed', 'cracked', 'stolen', 'stole', 'replaced', 'wiped', 'reset', 'died',
  'verloren', 'verlegt', 'gestohlen', 'geklaut', 'kaputt', 'zerbrochen', 'ersetzt', 'zuruckgesetzt', 'getauscht', 'gewechselt',
  'perdu', 'perdue', 'vole', 'casse', 'remplace', 'reinitialise', 'egare',
  'perdi', 'perdido', 'perdida', 'robaron', 'robado', 'roto', 'rompi', 'rompio', 'extravie', 'restableci', 'reemplace',
];
/** Replacing the phone counts too ("new phone"), but only right next to the device word. */
const NEW_WORDS = ['new', 'neues', 'neuen', 'neue', 'nouveau', 'nouvel', 'nuevo', 'nueva', 'changed', 'switched', 'another'];
const DEVICE_WORDS = [
  'phone', 'phones', 'iphone', 'mobile', 'cellphone', 'cell', 'smartphone', 'device', 'handset', 'android', 'samsung', 'pixel', 'galaxy',
  'handy', 'telefon', 'mobiltelefon', 'gerat', 'telephone', 'portable', 'appareil', 'telefono', 'movil', 'celular', 'dispositivo',
];

const words = (list: readonly string[]) => `(?:${list.join('|')})`;
const LOST_DEVICE = new RegExp(
  [
    `\\b${words(LOSS_WORDS)}\\b(?: \\S+){0,3} ${words(DEVICE_WORDS)}\\b`,
    `\\b${words(DEVICE_WORDS)}\\b(?: \\S+){0,3} ${words(LOSS_WORDS)}\\b`,
    `\\b${words(NEW_WORDS)}(?: \\S+)? ${words(DEVICE_WORDS)}\\b`,
    '\\b(on m a vole|me robaron|me lo robaron)\\b',
    // No longer having it, or being without it: "I don't have my iPhone anymore", "ohne mein Handy".
    `\\b(dont|do not|no longer) (have|own) (my|the|a) (\\S+ )?${words(DEVICE_WORDS)}\\b`,
    `\\b${words(DEVICE_WORDS)}\\b(?: \\S+){0,3} (anymore|any more|nicht mehr|plus|ya no)\\b`,
    `\\b(without|ohne|sans|sin) (my|mein|meine|meinem|mon|ma|mi) ${words(DEVICE_WORDS)}\\b`,
  ].join('|'),
);

const OS_VERSION = /\b(?:ios|ipados|android|version|versao|v)\s?(\d{1,2}(?:\.\d{1,2}){0,2})\b/;
const AADSTS = /\baadsts\s?(\d{4,6})\b/i;
/** An address; starts only at a word's start and is bounded, so a long paste costs linear time. */
const EMAIL = /(?<![A-Za-z0-9._%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/;

/** Keyword slots (platform, registration, …) read this much of a message. */
const KEYWORD_SLOT_CHARS = 400;

/** English Microsoft Entra / Authenticator error messages people paste (lower-case, apostrophes dropped). */
const KNOWN_ERROR_PHRASES = [
  'you cant get there from here',
  'access has been blocked by conditional access',
  'does not meet the criteria',
  'doesnt meet the criteria',
  'your sign in was successful but',
  'already exists',
  'already been registered',
  'already registered',
  'something went wrong',
  'we couldnt sign you in',
  'more information required',
  'the operation either timed out or was not allowed',
  'no passkeys available',
  'no passkey available',
  'this security key cant be used',
  'the key you tried to use isnt allowed',
  'your organization requires',
  'your organization doesnt allow',
  'your admin has restricted',
  'need admin approval',
  'you dont have access to this',
  'this passkey cant be used',
  'the request is blocked',
  'device is not compliant',
  'the passkey could not be',
  'is not allowed by your organization',
  'request denied',
  'failed to create passkey',
];

/** Quotes of any language around at least a few characters: a pasted message. */
const QUOTED = /["“”„«»]\s*([^"“”„«»]{6,}?)\s*["“”„«»]/;
/** Single quotes, told apart from apostrophes ("can't") by what stands around them. */
const SINGLE_QUOTED = /(?:^|[\s:(])['‘]([^\n]{6,}?)['’](?=[\s.,;!?)]|$)/;
const ERROR_MARKER = /(?:^|[\s(])(?:error(?: message)?|message|it says|says|the error is|fehler(?:meldung)?|meldung|es kommt|erreur|message d'erreur|ça dit|il dit|il affiche|mensaje(?: de error)?|dice|aparece)\s*[:：]\s*(.{6,})$/i;

/** A pasted error message: quoted text, text after "error:", the AADSTS line, or a known Entra message. */
export function extractErrorText(original: string): string | undefined {
  const text = original.trim();
  const quoted = QUOTED.exec(text)?.[1] ?? SINGLE_QUOTED.exec(text)?.[1];
  if (quoted) return clip(quoted);
  const marked = ERROR_MARKER.exec(text)?.[1];
  if (marked) return clip(marked.replace(/^["'“„«\s]+|["'”»\s]+$/g, ''));
  const aadsts = /AADSTS\s?\d{4,6}\s*[:\-–]\s*(\S.{5,})/i.exec(text);
  if (aadsts) return clip(text.slice(aadsts.index));
  const flat = normalizeText(text);
  if (KNOWN_ERROR_PHRASES.some((phrase) => flat.includes(phrase))) {
    // The sentence that holds the message; a message pasted on its own is the whole text.
    const sentences = text.split(/(?<=[.!?])\s+|\n+/);
    const sentence = sentences.find((s) => KNOWN_ERROR_PHRASES.some((phrase) => normalizeText(s).includes(phrase)));
    return clip(sentence ?? text);
  }
  return undefined;
}

function clip(text: string): string {
  return text.trim().slice(0, 2000);
}

function firstIndex(tokens: readonly string[], list: readonly string[]): number {
  const index = tokens.findIndex((t) => list.includes(t));
  return index;
}

/** Slots stated by a message. `corrected` is the normalised, typo-corrected text; `original` what was typed. */
export function extractSlots(original: string, fullCorrected: string, options: { groupNames?: readonly string[] } = {}): Slots {
  const slots: Slots = {};
  // What a person says about their phone comes first; a long paste is an error text, read whole below.
  const corrected = fullCorrected.slice(0, KEYWORD_SLOT_CHARS);
  const tokens = tokenize(corrected);
  const padded = ` ${corrected} `;

  const ios = firstIndex(tokens, IOS_WORDS);
  const android = firstIndex(tokens, ANDROID_WORDS);
  // Both named ("from my iPhone to a Samsung") decides nothing.
  if (ios >= 0 && android < 0) slots.platform = 'ios';
  if (android >= 0 && ios < 0) slots.platform = 'android';

  const version = OS_VERSION.exec(corrected)?.[1];
  if (version) slots.osVersion = version;

  if (tokens.some((t) => CROSS_DEVICE_WORDS.includes(t))) slots.registration = 'cross-device';
  else if (SAME_DEVICE.test(padded)) slots.registration = 'same-device';

  if (WORK_PROFILE.test(padded)) slots.androidProfile = 'work';
  else if (PERSONAL_PROFILE.test(padded)) slots.androidProfile = 'personal';
  // Only Android phones have work profiles.
  if (slots.androidProfile && !slots.platform && ios < 0) slots.platform = 'android';

  if (BLUETOOTH_OFF.test(padded)) slots.bluetooth = false;
  else if (BLUETOOTH_ON.test(padded)) slots.bluetooth = true;

  const code = AADSTS.exec(original)?.[1] ?? AADSTS.exec(corrected)?.[1];
  if (code) slots.errorCode = code;
  const errorText = extractErrorText(original);
  if (errorText) slots.errorText = errorText;

  if (LOST_DEVICE.test(padded)) slots.lostDevice = true;

  const group = options.groupNames?.length ? matchGroup(corrected, options.groupNames) : undefined;
  if (group) slots.group = group;

  const email = EMAIL.exec(original)?.[0];
  if (email) slots.targetUpn = email;
  return slots;
}

/** Words that name the kind of group, not the group ("the Finance team"). */
const GROUP_NOISE = new Set([
  'the', 'team', 'teams', 'group', 'groups', 'department', 'dept',
  'die', 'der', 'das', 'gruppe', 'abteilung', 'mitarbeiter',
  'le', 'la', 'les', 'l', 'equipe', 'groupe', 'service', 'departement',
  'el', 'los', 'las', 'equipo', 'grupo', 'departamento',
]);

/** Group names are short and many: one typo from 6 letters, two from 9 (stricter than the vocabulary's). */
function groupDistance(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 6 ? 1 : 0;
}

function tokenMatches(typed: string, known: string): boolean {
  if (typed === known) return true;
  const max = Math.min(groupDistance(typed), groupDistance(known));
  return max > 0 && damerauLevenshtein(typed, known, max) <= max;
}

/**
 * The known group the message names, typos allowed: every significant word
 * of the group's name appears in order; the longest such name wins ("Passkey
 * Pilot" over "Pilot"), then the earliest in the text.
 */
export function matchGroup(corrected: string, groupNames: readonly string[]): string | undefined {
  const tokens = tokenize(corrected);
  let best: { name: string; words: number; at: number } | undefined;
  for (const name of groupNames) {
    const all = tokenize(normalizeText(name));
    const core = all.filter((w) => !GROUP_NOISE.has(w));
    // A name whose only significant word is a short common one ("All Staff" → "all") keeps all its words.
    const nameWords = core.length > 0 && core.join('').length >= 4 ? core : all;
    if (nameWords.length === 0) continue;
    for (let start = 0; start + nameWords.length <= tokens.length; start += 1) {
      if (nameWords.every((w, i) => tokenMatches(tokens[start + i]!, w))) {
        if (!best || nameWords.length > best.words || (nameWords.length === best.words && start < best.at)) {
          best = { name, words: nameWords.length, at: start };
        }
        break;
      }
    }
  }
  return best?.name;
}

/** Every word the slot rules look for, so typo correction can reach them too. */
export const SLOT_VOCABULARY: readonly string[] = [
  ...IOS_WORDS, ...ANDROID_WORDS, ...CROSS_DEVICE_WORDS, ...LOSS_WORDS, ...NEW_WORDS, ...DEVICE_WORDS,
  'bluetooth', 'profile', 'profil', 'perfil', 'work', 'personal', 'authenticator', 'version',
];
