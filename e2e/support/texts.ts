// The visible texts the tests look for, copied from the SPA's message catalogs
// (frontend/src/i18n/en.rs and ja.rs): accessible names of roles, headings, alerts.
export type Lang = 'en' | 'ja';

export interface Texts {
  wizardHeading: string;
  stepsLabel: string;
  steps: { enterKey: string; review: string; account: string; confirmEmail: string; done: string };
  enterKeyHeading: string;
  keyLabel: string;
  keySubmit: string;
  keyCheckFailed: string;
  reviewHeading: string;
  linesHeading: string;
  badgeXdrAddon: string;
  badgeXdrRelated: string;
  reviewContinue: string;
  regionLabel: string;
  legacyNotice: string;
  accountHeading: string;
  signUpHeading: string;
  signInHeading: string;
  emailLabel: string;
  passwordLabel: string;
  fullNameLabel: string;
  companyLabel: string;
  countryCodeLabel: string;
  loginLabel: string;
  signInButton: string;
  signUpButton: string;
  activateButton: string;
  useOtherAccount: string;
  confirmHeading: string;
  startAgain: string;
  verifyHeading: string;
  doneHeading: string;
  acLabel: string;
  openConsole: string;
  goProducts: string;
  dialogTitle: string;
  close: string;
  conflictsHeading: string;
  saasConflictTitle: string;
  saasConflictRemedy: string;
  expiredTitle: string;
  expiredRemedy: string;
  networkTitle: string;
  retry: string;
  signInLink: string;
  productsActivateLink: string;
  verifyEmailHeading: string;
  verifyEmailDoneHeading: string;
  verifyEmailDoneBody: string;
  verifyEmailExpiredTitle: string;
  verifyEmailExpiredRemedy: string;
  verifyEmailInvalidTitle: string;
  verifyEmailInvalidRemedy: string;
  legacyAccountHeading: string;
  legacyFormHeading: string;
  legacyRegisterButton: string;
  legacyDoneHeading: string;
  legacyDoneEmail: string;
  /// The fields of the long registration form, in order.
  legacyLabels: {
    loginId: string;
    password: string;
    email: string;
    contactName: string;
    company: string;
    address: string;
    city: string;
    state: string;
    postalCode: string;
    countryCode: string;
    phone: string;
  };
  /// The accessible name of the Copy button of an activation code.
  copyLabel: (code: string) => string;
  productsHeading: string;
  xdrHeading: string;
  languageLabel: string;
  regions: Record<string, string>;
  orderNumber: (n: string) => string;
  confirmSentTo: (email: string) => string;
  confirmExpires: (when: string) => string;
  doneIntro: (order: string) => string;
  regionPinned: (region: string) => string;
  dialogBody: (region: string) => string;
  signedInContinue: (email: string) => string;
  /// A calendar date as the SPA shows it.
  date: (iso: string) => string;
  /// A term (first and last day) as the SPA shows it.
  term: (start: string, end: string) => string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function ymd(iso: string): [number, number, number] {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return [y, m, d];
}

export const EN: Texts = {
  wizardHeading: 'Activate your products',
  stepsLabel: 'Activation steps',
  steps: { enterKey: 'Enter key', review: 'Review order', account: 'Account', confirmEmail: 'Confirm email', done: 'Done' },
  enterKeyHeading: 'Enter your registration key',
  keyLabel: 'Registration Key',
  keySubmit: 'Show my order',
  keyCheckFailed:
    'The key looks mistyped: its last digit does not match the others. Check each character against your license certificate.',
  reviewHeading: 'Review your order',
  linesHeading: 'Products and services to activate',
  badgeXdrAddon: 'XDR add-on',
  badgeXdrRelated: 'XDR related',
  reviewContinue: 'Continue',
  regionLabel: 'Trend Micro XDR region',
  legacyNotice:
    'This key uses the standard registration: only the product of this key is registered, and the registration takes effect at once.',
  accountHeading: 'Choose your account',
  signUpHeading: 'Create an account',
  signInHeading: 'Sign in',
  emailLabel: 'Email',
  passwordLabel: 'Password',
  fullNameLabel: 'Full name',
  companyLabel: 'Company',
  countryCodeLabel: 'Country code',
  loginLabel: 'Email or login ID',
  signInButton: 'Sign in',
  signUpButton: 'Create account and activate',
  activateButton: 'Activate with this account',
  useOtherAccount: 'Sign out and use another account',
  confirmHeading: 'Check your email',
  startAgain: 'Start again',
  verifyHeading: 'Complete your activation',
  doneHeading: 'Your products are activated',
  acLabel: 'Activation codes',
  openConsole: 'Open Trend Micro XDR console',
  goProducts: 'Go to My products',
  dialogTitle: 'Manage your XDR add-ons in Trend Micro XDR',
  close: 'Close',
  conflictsHeading: "This order can't be activated in your account",
  saasConflictTitle: 'A cloud service of this order is already active in this account',
  saasConflictRemedy: 'Register the order to another account, or create a new account.',
  expiredTitle: 'This verification link has expired',
  expiredRemedy: 'Nothing was activated. Start the activation again with your registration key.',
  networkTitle: "We couldn't reach the server",
  retry: 'Retry',
  signInLink: 'Sign in',
  productsActivateLink: 'Activate products',
  verifyEmailHeading: 'Confirm your email address',
  verifyEmailDoneHeading: 'Your email address is confirmed',
  verifyEmailDoneBody: 'Thank you. You can now activate products with your account and see them in My products.',
  verifyEmailExpiredTitle: 'This confirmation link has expired',
  verifyEmailExpiredRemedy:
    'Your email address is not confirmed yet. Sign in and start an activation with a registration key: we will email you a new link, and opening it confirms your address.',
  verifyEmailInvalidTitle: 'This link is not valid or has already been used',
  verifyEmailInvalidRemedy:
    'If you have already opened it, your email address is confirmed: sign in to continue. Otherwise, open the link from the email again and check that the whole address was copied.',
  legacyAccountHeading: 'Sign in or register',
  legacyFormHeading: 'Register a new account',
  legacyRegisterButton: 'Register account and product',
  legacyDoneHeading: 'Your product is registered',
  legacyDoneEmail: 'We sent you an email confirming the registration.',
  legacyLabels: {
    loginId: 'Login ID',
    password: 'Password',
    email: 'Email',
    contactName: 'Contact name',
    company: 'Company',
    address: 'Address',
    city: 'City',
    state: 'State, prefecture or province',
    postalCode: 'Postal code',
    countryCode: 'Country code',
    phone: 'Phone',
  },
  copyLabel: (code) => `Copy activation code ${code}`,
  productsHeading: 'My products and services',
  xdrHeading: 'Trend Micro XDR',
  languageLabel: 'Language',
  regions: { us: 'United States', eu: 'Europe', jp: 'Japan' },
  orderNumber: (n) => `Order ${n}`,
  confirmSentTo: (email) => `We sent a verification link to ${email}. Open it to complete the activation.`,
  confirmExpires: (when) => `The link expires on ${when}.`,
  doneIntro: (order) => `Order ${order} is now registered to your account.`,
  regionPinned: (region) => `Trend Micro XDR region: ${region} (set by a product of this order)`,
  dialogBody: (region) =>
    `Your XDR add-ons are ready in the ${region} region. Open the Trend Micro XDR console to manage them. You can also open it later from My products.`,
  signedInContinue: (email) => `You are signed in as ${email}. The order will be activated in this account.`,
  date: (iso) => {
    const [y, m, d] = ymd(iso);
    return `${MONTHS[m - 1]} ${d}, ${y}`;
  },
  term: (start, end) => `${EN.date(start)} – ${EN.date(end)}`,
};

export const JA: Texts = {
  wizardHeading: '製品をアクティベーション',
  stepsLabel: 'アクティベーションの手順',
  steps: { enterKey: 'キーの入力', review: '注文の確認', account: 'アカウント', confirmEmail: 'メールの確認', done: '完了' },
  enterKeyHeading: '登録キーを入力してください',
  keyLabel: 'レジストレーションキー',
  keySubmit: '注文を表示',
  keyCheckFailed:
    'キーの入力に誤りがあるようです（最後の数字が他の文字と一致しません）。ライセンス証書と1文字ずつ照合してください。',
  reviewHeading: '注文内容の確認',
  linesHeading: 'アクティベーションする製品とサービス',
  badgeXdrAddon: 'XDRアドオン',
  badgeXdrRelated: 'XDR関連製品',
  reviewContinue: '次へ',
  regionLabel: 'Trend Micro XDRのリージョン',
  legacyNotice: 'このキーは通常の登録手続きで登録します。このキーの製品のみが登録され、登録はすぐに有効になります。',
  accountHeading: 'アカウントの選択',
  signUpHeading: 'アカウントを作成',
  signInHeading: 'サインイン',
  emailLabel: 'メールアドレス',
  passwordLabel: 'パスワード',
  fullNameLabel: '氏名',
  companyLabel: '会社名',
  countryCodeLabel: '国・地域コード',
  loginLabel: 'メールアドレスまたはログインID',
  signInButton: 'サインイン',
  signUpButton: 'アカウントを作成してアクティベーション',
  activateButton: 'このアカウントでアクティベーション',
  useOtherAccount: 'サインアウトして別のアカウントを使用',
  confirmHeading: 'メールを確認してください',
  startAgain: '最初からやり直す',
  verifyHeading: 'アクティベーションの完了',
  doneHeading: '製品のアクティベーションが完了しました',
  acLabel: 'アクティベーションコード',
  openConsole: 'Trend Micro XDRコンソールを開く',
  goProducts: 'マイ製品へ',
  dialogTitle: 'Trend Micro XDRでXDRアドオンを管理',
  close: '閉じる',
  conflictsHeading: 'この注文はご利用中のアカウントではアクティベーションできません',
  saasConflictTitle: 'この注文のクラウドサービスは、このアカウントですでに有効になっています',
  saasConflictRemedy: '注文を別のアカウントに登録するか、新しいアカウントを作成してください。',
  expiredTitle: 'この確認用リンクは有効期限が切れています',
  expiredRemedy: 'アクティベーションは行われていません。レジストレーションキーを使って、もう一度アクティベーションを行ってください。',
  networkTitle: 'サーバーに接続できませんでした',
  retry: '再試行',
  signInLink: 'サインイン',
  productsActivateLink: '製品をアクティベーション',
  verifyEmailHeading: 'メールアドレスの確認',
  verifyEmailDoneHeading: 'メールアドレスの確認が完了しました',
  verifyEmailDoneBody: 'ありがとうございます。このアカウントで製品をアクティベーションし、「マイ製品」で確認できます。',
  verifyEmailExpiredTitle: 'この確認用リンクは有効期限が切れています',
  verifyEmailExpiredRemedy:
    'メールアドレスはまだ確認されていません。サインインしてレジストレーションキーでアクティベーションを開始してください。新しいリンクをメールでお送りします。そのリンクを開くとメールアドレスの確認が完了します。',
  verifyEmailInvalidTitle: 'このリンクは無効か、すでに使用されています',
  verifyEmailInvalidRemedy:
    'すでにリンクを開いている場合、メールアドレスの確認は完了しています。サインインして続けてください。そうでない場合は、メールのリンクをもう一度開き、アドレス全体がコピーされているか確認してください。',
  legacyAccountHeading: 'サインインまたは新規登録',
  legacyFormHeading: '新しいアカウントを登録',
  legacyRegisterButton: 'アカウントと製品を登録',
  legacyDoneHeading: '製品の登録が完了しました',
  legacyDoneEmail: '登録完了のお知らせをメールでお送りしました。',
  legacyLabels: {
    loginId: 'ログインID',
    password: 'パスワード',
    email: 'メールアドレス',
    contactName: '担当者名',
    company: '会社名',
    address: '住所',
    city: '市区町村',
    state: '都道府県・州',
    postalCode: '郵便番号',
    countryCode: '国・地域コード',
    phone: '電話番号',
  },
  copyLabel: (code) => `アクティベーションコード ${code} をコピー`,
  productsHeading: 'マイ製品とサービス',
  xdrHeading: 'Trend Micro XDR',
  languageLabel: '言語 (Language)',
  regions: { us: '米国', eu: '欧州', jp: '日本' },
  orderNumber: (n) => `注文番号 ${n}`,
  confirmSentTo: (email) => `${email} に確認用リンクを送信しました。リンクを開いてアクティベーションを完了してください。`,
  confirmExpires: (when) => `リンクの有効期限：${when}`,
  doneIntro: (order) => `注文番号 ${order} がアカウントに登録されました。`,
  regionPinned: (region) => `Trend Micro XDRのリージョン：${region}（この注文の製品により指定）`,
  dialogBody: (region) =>
    `XDRアドオンは${region}リージョンで利用できるようになりました。Trend Micro XDRコンソールを開いて管理してください。コンソールは後から「マイ製品」からも開けます。`,
  signedInContinue: (email) => `${email} でサインインしています。注文はこのアカウントでアクティベーションされます。`,
  date: (iso) => {
    const [y, m, d] = ymd(iso);
    return `${y}年${m}月${d}日`;
  },
  term: (start, end) => `${JA.date(start)}～${JA.date(end)}`,
};

export const TEXTS: Record<Lang, Texts> = { en: EN, ja: JA };

/// A moment as the SPA shows it in the browser's time zone `timeZone`:
/// `Nov 28, 2026, 14:05 (UTC+09:00)` / `2026年11月28日 14:05（UTC+09:00）`.
export function dateTime(lang: Lang, iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  const day = TEXTS[lang].date(`${parts.year}-${parts.month}-${parts.day}`);
  const time = `${parts.hour}:${parts.minute}`;
  return lang === 'en' ? `${day}, ${time} (UTC${offset})` : `${day} ${time}（UTC${offset}）`;
}
