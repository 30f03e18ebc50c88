// The texts of the wizard's honest screens (renewal, cross grade, registered orders, the verify
// page's stopped and used links) and of My products (statuses, filters, pages, CSV), copied from
// the SPA's catalogs (frontend/src/i18n/en.rs and ja.rs). Kept apart from texts.ts so each part
// of the app has its own list.
import type { Lang } from './texts';

export interface LifecycleTexts {
  renewalHeading: string;
  renewalBody: (email: string) => string;
  crossgradeHeading: string;
  crossgradeBody: (email: string) => string;
  nothingToActivateTitle: string;
  alreadyRegisteredTitle: string;
  registeredCount: RegExp;
  passwordRules: string;
  optionalMark: string;
  validationFailedTitle: string;
  legacyRegisterSignedIn: string;
  useOtherKey: string;
  legacyRenewalDone: string;
  verifyStoppedTitle: string;
  verifyStoppedRemedy: string;
  verifyUsedTitle: string;
  verifyDoneBefore: string;
  statusActive: string;
  statusExpiring: string;
  statusExpired: string;
  daysLeft: (n: number) => string;
  statusFilterLabel: string;
  statusAll: string;
  textFilterLabel: string;
  noMatch: string;
  pagesLabel: string;
  previousPage: string;
  nextPage: string;
  pageOf: (page: number, pages: number) => string;
  downloadCsv: string;
}

export const EN_LIFECYCLE: LifecycleTexts = {
  renewalHeading: 'Sign in to the account that holds the renewed product',
  renewalBody: (email) =>
    `This key renews a product registered to the account ${email}. The renewal can only be registered in that account, so a new account can't be created for it. Sign in to ${email} to continue.`,
  crossgradeHeading: 'Sign in to the account that holds the upgraded products',
  crossgradeBody: (email) =>
    `This order upgrades products that are registered to the account ${email}. It can only be activated in that account, so a new account can't be created for it. Sign in to ${email} to continue.`,
  nothingToActivateTitle: 'Every product of this order is already registered',
  alreadyRegisteredTitle: 'This product is already registered',
  registeredCount: /already registered and (is|are) not shown/,
  passwordRules: 'Use at least 12 characters. A passphrase of several words is easy to remember and hard to guess.',
  optionalMark: '(optional)',
  validationFailedTitle: 'Some information is missing or not valid',
  legacyRegisterSignedIn: 'Register the product',
  useOtherKey: 'Use a different key',
  legacyRenewalDone: 'This renewal extends your existing activation code.',
  verifyStoppedTitle: 'This activation was stopped, and nothing was activated',
  verifyStoppedRemedy:
    "When this link was first opened, a restriction of the account it was for stopped the activation: for example, a cloud service of the order was already active in that account, or the order needs another Trend Micro XDR region. Opening the link again can't change that. Start again with your registration key and choose an account that can take the order, or create a new one.",
  verifyUsedTitle: 'This link was already used: your order is activated',
  verifyDoneBefore: 'You already completed this activation in this browser tab; here is the result again.',
  statusActive: 'Active',
  statusExpiring: 'Expiring',
  statusExpired: 'Expired',
  daysLeft: (n) => (n === 0 ? 'ends today' : n === 1 ? '1 day left' : `${n} days left`),
  statusFilterLabel: 'Status',
  statusAll: 'All statuses',
  textFilterLabel: 'Search',
  noMatch: 'No product matches these filters.',
  pagesLabel: 'Pages of products',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  downloadCsv: 'Download CSV',
};

export const JA_LIFECYCLE: LifecycleTexts = {
  renewalHeading: '更新対象の製品を保有するアカウントにサインインしてください',
  renewalBody: (email) =>
    `このキーは、アカウント ${email} に登録されている製品を更新します。更新はこのアカウントにのみ登録できるため、新しいアカウントは作成できません。続行するには ${email} にサインインしてください。`,
  crossgradeHeading: 'アップグレード対象の製品を保有するアカウントにサインインしてください',
  crossgradeBody: (email) =>
    `この注文は、アカウント ${email} に登録されている製品をアップグレードします。このアカウントでのみアクティベーションできるため、新しいアカウントは作成できません。続行するには ${email} にサインインしてください。`,
  nothingToActivateTitle: 'この注文の製品はすべて登録済みです',
  alreadyRegisteredTitle: 'この製品はすでに登録されています',
  registeredCount: /登録済み/,
  passwordRules: '12文字以上にしてください。複数の単語をつなげたパスフレーズは覚えやすく、推測されにくくなります。',
  optionalMark: '（任意）',
  validationFailedTitle: '入力内容に不足または誤りがあります',
  legacyRegisterSignedIn: '製品を登録',
  useOtherKey: '別のキーを使用',
  legacyRenewalDone: 'この更新により、既存のアクティベーションコードの有効期限が延長されます。',
  verifyStoppedTitle: 'このアクティベーションは中止されました。何もアクティベーションされていません',
  verifyStoppedRemedy:
    'このリンクが最初に開かれたとき、対象のアカウントの制限によりアクティベーションが中止されました（例：注文のクラウドサービスがそのアカウントですでに有効だった、または注文に別のTrend Micro XDRリージョンが必要だった）。リンクを開き直しても変わりません。登録キーでもう一度やり直し、この注文を受け入れられるアカウントを選ぶか、新しいアカウントを作成してください。',
  verifyUsedTitle: 'このリンクは使用済みです。注文はアクティベーション済みです',
  verifyDoneBefore: 'このタブでこのアクティベーションはすでに完了しています。結果をもう一度表示します。',
  statusActive: '有効',
  statusExpiring: '期限間近',
  statusExpired: '期限切れ',
  daysLeft: (n) => (n === 0 ? '本日終了' : `残り${n}日`),
  statusFilterLabel: '状態',
  statusAll: 'すべての状態',
  textFilterLabel: '検索',
  noMatch: '条件に一致する製品はありません。',
  pagesLabel: '製品のページ',
  previousPage: '前のページ',
  nextPage: '次のページ',
  pageOf: (page, pages) => `${page} / ${pages}ページ`,
  downloadCsv: 'CSVをダウンロード',
};

export function lifecycleTexts(lang: Lang): LifecycleTexts {
  return lang === 'ja' ? JA_LIFECYCLE : EN_LIFECYCLE;
}
