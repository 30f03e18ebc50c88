// The texts of the account pages (issue 15), copied from the SPA's catalogs
// (frontend/src/i18n/en.rs and ja.rs), kept apart from texts.ts (the wizard's).
import type { Lang } from './texts';

export interface AccountTexts {
  forgotPasswordLink: string;
  otpLabel: string;
  forgotHeading: string;
  forgotButton: string;
  forgotSentHeading: string;
  forgotSentTo: (email: string) => string;
  backToSignIn: string;
  resetHeading: string;
  newPasswordLabel: string;
  passwordRules: string;
  resetButton: string;
  resetDoneHeading: string;
  resetExpiredTitle: string;
  resetMissingToken: string;
  resetNewLink: string;
  navAccount: string;
  accountPageHeading: string;
  profileHeading: string;
  fullNameLabel: string;
  companyLabel: string;
  optionalMark: string;
  saveButton: string;
  profileSaved: string;
  passwordHeading: string;
  emailHeading: string;
  mfaHeading: string;
  mfaEnrolButton: string;
  mfaQrLabel: string;
  mfaCodeLabel: string;
  mfaConfirmButton: string;
  mfaOnStatus: string;
  recoveryHeading: string;
  recoveryDone: string;
  activityHeading: string;
  signInButton: string;
  signOut: string;
  loginLabel: string;
  passwordLabel: string;
  emailLabel: string;
  productsHeading: string;
  resendButton: string;
  resendSent: string;
  differentEmailButton: string;
}

export const ACCOUNT_EN: AccountTexts = {
  forgotPasswordLink: 'Forgot password?',
  otpLabel: 'Authentication code',
  forgotHeading: 'Reset your password',
  forgotButton: 'Email me a reset link',
  forgotSentHeading: 'Check your email',
  forgotSentTo: (email) =>
    `If an account uses ${email}, we sent it a link to choose a new password. The link works once, for one hour. No email? Check your spam folder.`,
  backToSignIn: 'Back to sign in',
  resetHeading: 'Choose a new password',
  newPasswordLabel: 'New password',
  passwordRules: 'Use at least 12 characters. A passphrase of several words is easy to remember and hard to guess.',
  resetButton: 'Set new password',
  resetDoneHeading: 'Your password is changed',
  resetExpiredTitle: 'This reset link has expired or was already used',
  resetMissingToken: 'This link is incomplete. Open the link from the email again, or ask for a new one.',
  resetNewLink: 'Request a new link',
  navAccount: 'My account',
  accountPageHeading: 'My account',
  profileHeading: 'Profile',
  fullNameLabel: 'Full name',
  companyLabel: 'Company',
  optionalMark: '(optional)',
  saveButton: 'Save changes',
  profileSaved: 'Your profile is saved.',
  passwordHeading: 'Change password',
  emailHeading: 'Change email address',
  mfaHeading: 'Two-step sign-in',
  mfaEnrolButton: 'Set up two-step sign-in',
  mfaQrLabel: 'QR code to scan with your authenticator app',
  mfaCodeLabel: '6-digit code from the app',
  mfaConfirmButton: 'Turn on two-step sign-in',
  mfaOnStatus: 'Two-step sign-in is on: each sign-in asks for a code from your authenticator app.',
  recoveryHeading: 'Save your recovery codes',
  recoveryDone: 'I have saved my codes',
  activityHeading: 'Recent activity',
  signInButton: 'Sign in',
  signOut: 'Sign out',
  loginLabel: 'Email or login ID',
  passwordLabel: 'Password',
  emailLabel: 'Email',
  productsHeading: 'My products and services',
  resendButton: 'Resend the email',
  resendSent: 'We sent a new link. Only the newest link works.',
  differentEmailButton: 'Use a different email',
};

export const ACCOUNT_JA: AccountTexts = {
  forgotPasswordLink: 'パスワードをお忘れですか？',
  otpLabel: '認証コード',
  forgotHeading: 'パスワードの再設定',
  forgotButton: '再設定リンクを送信',
  forgotSentHeading: 'メールをご確認ください',
  forgotSentTo: (email) =>
    `${email} を使用しているアカウントがあれば、新しいパスワードを設定するためのリンクを送信しました。リンクは1回のみ、1時間有効です。メールが届かない場合は迷惑メールフォルダーを確認してください。`,
  backToSignIn: 'サインインに戻る',
  resetHeading: '新しいパスワードの設定',
  newPasswordLabel: '新しいパスワード',
  passwordRules: '12文字以上にしてください。複数の単語をつなげたパスフレーズは覚えやすく、推測されにくくなります。',
  resetButton: '新しいパスワードを設定',
  resetDoneHeading: 'パスワードを変更しました',
  resetExpiredTitle: 'この再設定リンクは有効期限切れか、すでに使用されています',
  resetMissingToken: 'このリンクは不完全です。メールのリンクをもう一度開くか、新しいリンクを請求してください。',
  resetNewLink: '新しいリンクを請求',
  navAccount: 'マイアカウント',
  accountPageHeading: 'マイアカウント',
  profileHeading: 'プロフィール',
  fullNameLabel: '氏名',
  companyLabel: '会社名',
  optionalMark: '（任意）',
  saveButton: '変更を保存',
  profileSaved: 'プロフィールを保存しました。',
  passwordHeading: 'パスワードの変更',
  emailHeading: 'メールアドレスの変更',
  mfaHeading: '2段階認証',
  mfaEnrolButton: '2段階認証を設定',
  mfaQrLabel: '認証アプリで読み取るQRコード',
  mfaCodeLabel: 'アプリに表示される6桁のコード',
  mfaConfirmButton: '2段階認証をオンにする',
  mfaOnStatus: '2段階認証はオンです。サインインのたびに認証アプリのコードが必要です。',
  recoveryHeading: 'リカバリーコードを保存してください',
  recoveryDone: 'コードを保存しました',
  activityHeading: '最近のアクティビティ',
  signInButton: 'サインイン',
  signOut: 'サインアウト',
  loginLabel: 'メールアドレスまたはログインID',
  passwordLabel: 'パスワード',
  emailLabel: 'メールアドレス',
  productsHeading: 'マイ製品とサービス',
  resendButton: 'メールを再送信',
  resendSent: '新しいリンクを送信しました。有効なのは最新のリンクだけです。',
  differentEmailButton: '別のメールアドレスを使用',
};

export const ACCOUNT_TEXTS: Record<Lang, AccountTexts> = { en: ACCOUNT_EN, ja: ACCOUNT_JA };
