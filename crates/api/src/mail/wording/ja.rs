//! The emails in Japanese.

use super::{
    ActivationConfirmationWording, CommonWording, EmailChangeNoticeWording, EmailChangeWording,
    EmailVerificationWording, MfaChangedWording, PasswordResetWording, RegistrationNoticeWording,
    VerificationWording, Wording,
};

/// The Japanese catalog.
pub const JA: Wording = Wording {
    common: CommonWording {
        greeting: "お客様",
        greeting_named: |name| format!("{name} 様"),
        signature: "Open CLP ライセンスアクティベーションポータル",
        footer: "このメールは、このメールアドレスでライセンスの登録が行われたため、お送りしています。\
                 お心当たりがない場合は、このメールを破棄してください。\
                 リンクを開かない限り、何もアクティベートされません。",
        seats: |seats| format!("{seats} ライセンス"),
        term: "契約期間",
        term_to_text: "～",
        term_to_html: "～",
        activation_codes: "アクティベーションコード",
        service: "サービス",
        date: |date| date.format("%Y年%-m月%-d日").to_string(),
        time: |at| at.format("%Y年%-m月%-d日 %H:%M UTC").to_string(),
    },
    verification: VerificationWording {
        subject: |order| {
            format!("Trend Micro 製品のアクティベーションを確認してください（ご注文 {order}）")
        },
        intro: |order| {
            format!(
                "ご注文 {order} の製品をお客様のアカウントでアクティベートするには、\
                 次のリンクを開いてください。"
            )
        },
        button: "製品をアクティベートする",
        expires: |at| {
            format!(
                "このリンクの有効期限は {at} です。期限を過ぎると何もアクティベートされません。\
                 その場合は、もう一度アクティベーションを開始してください。"
            )
        },
        new_account: "このリンクを開くと、新しいアカウントのメールアドレスの確認も完了します。",
        summary: |order| format!("ご注文 {order} の内容"),
        region: |region| format!("Trend Micro XDR のリージョン: {region}"),
        not_you: "このアクティベーションにお心当たりがない場合は、このメールを破棄してください。",
    },
    email_verification: EmailVerificationWording {
        subject: "メールアドレスの確認のお願い",
        intro: "ライセンスアクティベーションポータルのアカウントを作成いただき、ありがとうございます。\
                このメールアドレスがお客様のものであることを確認するため、次のリンクを開いてください。",
        button: "メールアドレスを確認する",
        expires: |at| {
            format!(
                "このリンクの有効期限は {at} です。期限を過ぎた場合も、\
                 このアカウントで注文をアクティベートするとメールアドレスの確認が完了します。"
            )
        },
        not_you: "このアカウントの作成にお心当たりがない場合は、このメールを破棄してください。\
                  メールアドレスは未確認のままとなります。",
        footer: "このメールは、このメールアドレスでライセンスアクティベーションポータルの\
                 アカウントが作成されたため、お送りしています。",
    },
    registration_notice: RegistrationNoticeWording {
        subject: |order| format!("ご注文 {order} の製品が登録されました"),
        intro: |order| format!("ご注文 {order} の次の製品が、お客様のアカウントに登録されました。"),
        renewal: "今回の登録により既存のアクティベーションコードが更新され、契約期間が延長されました。",
        outro: "アカウントのすべての製品は、ポータルにサインインしてご確認いただけます。",
    },
    activation_confirmation: ActivationConfirmationWording {
        subject: |order| format!("ご注文 {order} のアクティベーションが完了しました"),
        intro: |order| {
            format!("ご注文 {order} の製品が、お客様のアカウントでアクティベートされました。")
        },
        xdr: |region| {
            format!(
                "お客様のアカウントで Trend Micro XDR が有効になりました（リージョン: {region}）。"
            )
        },
        console: "Trend Micro XDR コンソールを開く",
        outro: "アカウントのすべての製品は、ポータルにサインインしてご確認いただけます。",
    },
    password_reset: PasswordResetWording {
        subject: "パスワードの再設定",
        intro: "ライセンスアクティベーションポータルのアカウントについて、パスワードの再設定が\
                依頼されました。新しいパスワードを設定するには、次のリンクを開いてください。",
        button: "新しいパスワードを設定する",
        expires: |at| {
            format!(
                "このリンクは一度だけ使用でき、有効期限は {at} です。期限を過ぎた場合は、\
                 サインイン画面から新しいリンクを依頼してください。"
            )
        },
        sessions: "新しいパスワードを設定すると、サインイン中のすべての端末からサインアウトされます。",
        not_you: "この依頼にお心当たりがない場合は、このメールを破棄してください。\
                  パスワードは変更されません。",
        footer: "このメールは、このメールアドレスについてライセンスアクティベーションポータルで\
                 パスワードの再設定が依頼されたため、お送りしています。",
    },
    email_change: EmailChangeWording {
        subject: "新しいメールアドレスの確認のお願い",
        intro: |email| {
            format!(
                "ライセンスアクティベーションポータルのアカウントのメールアドレスを {email} に\
                 変更する依頼を受け付けました。変更を確定するには、次のリンクを開いてください。"
            )
        },
        button: "新しいメールアドレスを確定する",
        expires: |at| {
            format!(
                "このリンクは一度だけ使用でき、有効期限は {at} です。\
                 リンクを開くまでは、現在のメールアドレスのままとなります。"
            )
        },
        not_you: "この依頼にお心当たりがない場合は、このメールを破棄してください。何も変更されません。",
        footer: "このメールは、このメールアドレスがライセンスアクティベーションポータルの\
                 アカウントの新しいメールアドレスとして入力されたため、お送りしています。",
    },
    email_change_notice: EmailChangeNoticeWording {
        subject: "メールアドレスの変更が依頼されました",
        intro: |email| {
            format!(
                "ライセンスアクティベーションポータルのお客様のアカウントで、\
                 メールアドレスを {email} に変更する依頼がありました。"
            )
        },
        when: "変更は、新しいメールアドレスに送信したリンクが開かれた時点で有効になります。\
               それまでは、このメールアドレスのままとなります。",
        not_you: "この依頼にお心当たりがない場合は、すぐにサインインしてパスワードを変更してください。",
        footer: "このメールは、ライセンスアクティベーションポータルのアカウントの\
                 メールアドレスにお送りしています。",
    },
    mfa_changed: MfaChangedWording {
        subject_on: "2 段階認証が有効になりました",
        subject_off: "2 段階認証が無効になりました",
        on: |at| {
            format!(
                "{at} に、お客様のアカウントで 2 段階認証が有効になりました。今後のサインインでは、\
                 認証アプリのコードまたはリカバリーコードの入力が必要です。"
            )
        },
        off: |at| {
            format!(
                "{at} に、お客様のアカウントで 2 段階認証が無効になりました。今後のサインインでは\
                 パスワードのみが必要です。"
            )
        },
        not_you: "この操作にお心当たりがない場合は、すぐにパスワードを変更し、サポートまで\
                  ご連絡ください。",
        footer: "このメールは、ライセンスアクティベーションポータルのアカウントのサインイン設定が\
                 変更されたため、お送りしています。",
    },
};
