//! The Japanese catalog.

use super::{
    DeliveryNames, ErrorText, ErrorTexts, HintReasonNames, Messages, RegionNames, StatusNames,
};

/// Every user-facing string in Japanese.
pub const JA: Messages = Messages {
    app_name: "Open CLP",
    doc_title: "Open CLP：製品のアクティベーション",
    skip_link: "メインコンテンツへスキップ",
    nav_label: "メイン",
    nav_activate: "製品のアクティベーション",
    nav_products: "マイ製品",
    language_label: "言語 (Language)",
    sign_in_link: "サインイン",
    sign_out: "サインアウト",
    footer: "Open CLP：カスタマーライセンスポータル",
    loading: "読み込み中…",
    retry: "再試行",
    network_title: "サーバーに接続できませんでした",
    network_remedy: "インターネット接続を確認してから、［再試行］を選択してください。",
    details_label: "詳細",
    field_errors_heading: "次の項目を修正してください：",
    wizard_heading: "製品をアクティベーション",
    wizard_intro: "ライセンス証書に記載された登録キーのいずれかを入力すると、注文に含まれるすべての製品を確認し、まとめてアクティベーションできます。",
    steps_label: "アクティベーションの手順",
    step_enter_key: "キーの入力",
    step_review: "注文の確認",
    step_account: "アカウント",
    step_confirm_email: "メールの確認",
    step_done: "完了",
    step_completed: "（完了）",
    enter_key_heading: "登録キーを入力してください",
    key_label: "レジストレーションキー",
    key_help: "ライセンス証書に記載された、注文内のいずれかのキー（例：XX-0000-0000-0000-0000）。大文字・小文字、スペース、ハイフンは区別しません。",
    key_submit: "注文を表示",
    key_empty: "ライセンス証書に記載されたレジストレーションキーを入力してください。",
    key_check_failed: "キーの入力に誤りがあるようです（最後の数字が他の文字と一致しません）。ライセンス証書と1文字ずつ照合してください。",
    key_bad_prefix: "レジストレーションキーではありません。ライセンス証書と照合してください。",
    review_heading: "注文内容の確認",
    lines_heading: "アクティベーションする製品とサービス",
    seats_label: "ライセンス数",
    term_label: "期間",
    delivery_label: "提供形態",
    components_label: "含まれる製品",
    badge_xdr_addon: "XDRアドオン",
    badge_xdr_related: "XDR関連製品",
    end_customer_heading: "エンドユーザー",
    company_label: "会社名",
    contact_label: "担当者",
    contact_email_label: "担当者のメールアドレス",
    country_label: "国・地域",
    conflicts_heading: "この注文はご利用中のアカウントではアクティベーションできません",
    region_label: "Trend Micro XDRのリージョン",
    region_help: "Trend Micro XDRがデータを保管する場所です。アカウントごとに一度だけ設定され、後から変更することはできません。",
    review_continue: "次へ",
    use_other_key: "別のキーを使用",
    legacy_notice: "このキーは通常の登録手続きで登録します。このキーの製品のみが登録され、登録はすぐに有効になります。",
    account_heading: "アカウントの選択",
    activate_button: "このアカウントでアクティベーション",
    use_other_account: "サインアウトして別のアカウントを使用",
    hints_heading: "既存のアカウントをお持ちの可能性があります",
    hint_binding: "この注文はこのアカウントでアクティベーションする必要があります。続行するには、このアカウントにサインインしてください。",
    sign_in_heading: "サインイン",
    login_label: "メールアドレスまたはログインID",
    password_label: "パスワード",
    sign_in_button: "サインイン",
    signup_heading: "アカウントを作成",
    signup_intro: "Open CLPを初めてご利用の場合は、アカウントを作成してください。アクティベーションを確定するためのリンクをメールでお送りします。",
    email_label: "メールアドレス",
    full_name_label: "氏名",
    country_code_label: "国・地域コード",
    country_code_help: "英字2文字（例：JP、US、DE）。",
    signup_button: "アカウントを作成してアクティベーション",
    submitting: "送信中…",
    confirm_heading: "メールを確認してください",
    confirm_sent: "アカウントのメールアドレスに確認用リンクを送信しました。リンクを開いてアクティベーションを完了してください。",
    confirm_nothing_until: "リンクを開くまで、アクティベーションは行われません。リンクの有効期限が切れた場合は、もう一度アクティベーションを行ってください。",
    start_again: "最初からやり直す",
    verify_heading: "アクティベーションの完了",
    verifying: "アクティベーションを完了しています…",
    verify_missing_token: "このリンクは不完全か、すでに使用されています。メールのリンクをもう一度開くか、最初からアクティベーションをやり直してください。",
    verify_email_heading: "メールアドレスの確認",
    verify_email_working: "メールアドレスを確認しています…",
    verify_email_done_heading: "メールアドレスの確認が完了しました",
    verify_email_done_body: "ありがとうございます。このアカウントで製品をアクティベーションし、「マイ製品」で確認できます。",
    verify_email_expired_title: "この確認用リンクは有効期限が切れています",
    verify_email_expired_remedy: "メールアドレスはまだ確認されていません。サインインしてレジストレーションキーでアクティベーションを開始してください。新しいリンクをメールでお送りします。そのリンクを開くとメールアドレスの確認が完了します。",
    verify_email_invalid_title: "このリンクは無効か、すでに使用されています",
    verify_email_invalid_remedy: "すでにリンクを開いている場合、メールアドレスの確認は完了しています。サインインして続けてください。そうでない場合は、メールのリンクをもう一度開き、アドレス全体がコピーされているか確認してください。",
    done_heading: "製品のアクティベーションが完了しました",
    ac_label: "アクティベーションコード",
    open_console: "Trend Micro XDRコンソールを開く",
    opens_new_tab: "（新しいタブで開きます）",
    go_products: "マイ製品へ",
    dialog_title: "Trend Micro XDRでXDRアドオンを管理",
    close: "閉じる",
    legacy_account_heading: "サインインまたは新規登録",
    legacy_form_heading: "新しいアカウントを登録",
    legacy_form_intro: "すべての項目が必須です。",
    login_id_label: "ログインID",
    address_label: "住所",
    city_label: "市区町村",
    state_label: "都道府県・州",
    postal_code_label: "郵便番号",
    phone_label: "電話番号",
    contact_name_label: "担当者名",
    legacy_register_button: "アカウントと製品を登録",
    legacy_register_signed_in: "製品を登録",
    legacy_done_heading: "製品の登録が完了しました",
    legacy_done_email: "登録完了のお知らせをメールでお送りしました。",
    legacy_renewal_done: "この更新により、既存のアクティベーションコードの有効期限が延長されます。",
    products_heading: "マイ製品とサービス",
    products_sign_in_prompt: "アカウントでアクティベーションした製品とサービスを表示するには、サインインしてください。",
    products_empty: "このアカウントに登録されている製品やサービスはまだありません。",
    products_activate_link: "製品をアクティベーション",
    status_label: "ステータス",
    order_label: "注文番号",
    service_label: "サービス",
    copy: "コピー",
    copied: "コピーしました",
    copy_failed: "コピーできませんでした。コードを選択して手動でコピーしてください。",
    xdr_heading: "Trend Micro XDR",
    xdr_not_enabled: "Trend Micro XDRは、XDRアドオンを含む注文をアクティベーションすると有効になります。",
    sign_in_page_heading: "Open CLPにサインイン",
    sign_in_page_intro: "アカウントのメールアドレスまたはログインIDでサインインしてください。",
    not_found_heading: "ページが見つかりません",
    not_found_body: "このアドレスにはページがありません。",
    not_found_link: "アクティベーションページへ",
    // Accounts: forgot and reset password, two-step sign-in, My account, resend (issue 15).
    forgot_password_link: "パスワードをお忘れですか？",
    otp_label: "認証コード",
    otp_help: "認証アプリに表示される6桁のコード、またはリカバリーコードのいずれか1つ。",
    otp_intro: "このアカウントは2段階認証でサインインします。認証アプリのコードを入力してください。",
    forgot_heading: "パスワードの再設定",
    forgot_intro: "アカウントのメールアドレスを入力してください。新しいパスワードを設定するためのリンクをメールでお送りします。",
    forgot_button: "再設定リンクを送信",
    forgot_sent_heading: "メールをご確認ください",
    back_to_sign_in: "サインインに戻る",
    reset_heading: "新しいパスワードの設定",
    new_password_label: "新しいパスワード",
    password_rules: "12文字以上にしてください。複数の単語をつなげたパスフレーズは覚えやすく、推測されにくくなります。",
    reset_button: "新しいパスワードを設定",
    reset_done_heading: "パスワードを変更しました",
    reset_done_body: "新しいパスワードでサインインしてください。このアカウントの他のセッションはすべてサインアウトされました。",
    reset_expired_title: "この再設定リンクは有効期限切れか、すでに使用されています",
    reset_expired_remedy: "リンクは1回のみ、1時間有効です。下のボタンから新しいリンクを請求してください。",
    reset_missing_token: "このリンクは不完全です。メールのリンクをもう一度開くか、新しいリンクを請求してください。",
    reset_new_link: "新しいリンクを請求",
    nav_account: "マイアカウント",
    account_page_heading: "マイアカウント",
    account_sign_in_prompt: "プロフィール、パスワード、メールアドレス、2段階認証を管理するにはサインインしてください。",
    optional_mark: "（任意）",
    profile_heading: "プロフィール",
    email_language_label: "メールの言語",
    save_button: "変更を保存",
    profile_saved: "プロフィールを保存しました。",
    password_heading: "パスワードの変更",
    current_password_label: "現在のパスワード",
    password_button: "パスワードを変更",
    password_changed: "パスワードを変更しました。他のセッションはサインアウトされました。",
    email_heading: "メールアドレスの変更",
    new_email_label: "新しいメールアドレス",
    email_button: "確認リンクを送信",
    mfa_heading: "2段階認証",
    mfa_off_intro: "2段階認証はオフです。オンにすると、サインインのたびに認証アプリ（Google Authenticator、Microsoft Authenticator、1Password など）のコードを求めます。",
    mfa_on_status: "2段階認証はオンです。サインインのたびに認証アプリのコードが必要です。",
    mfa_enrol_button: "2段階認証を設定",
    mfa_scan: "認証アプリでこのQRコードを読み取るか、セットアップキーを入力してください。その後、アプリに表示されるコードを入力してください。",
    mfa_qr_label: "認証アプリで読み取るQRコード",
    mfa_secret_label: "セットアップキー",
    mfa_code_label: "アプリに表示される6桁のコード",
    mfa_confirm_button: "2段階認証をオンにする",
    cancel: "キャンセル",
    recovery_heading: "リカバリーコードを保存してください",
    recovery_intro: "スマートフォンをなくした場合、これらのコードはそれぞれ1回だけ、アプリのコードの代わりにサインインに使えます。表示されるのは今回だけです。コピーまたはダウンロードして、安全な場所に保管してください。",
    recovery_copy: "コードをコピー",
    recovery_download: "コードをダウンロード",
    recovery_done: "コードを保存しました",
    mfa_disable_heading: "2段階認証をオフにする",
    mfa_disable_code_label: "アプリのコード、またはリカバリーコード",
    mfa_disable_button: "2段階認証をオフにする",
    mfa_disabled: "2段階認証をオフにしました。",
    activity_heading: "最近のアクティビティ",
    activity_empty: "このアカウントにはまだアクティビティがありません。",
    activity_when: "日時",
    activity_what: "内容",
    resend_button: "メールを再送信",
    resend_sent: "新しいリンクを送信しました。有効なのは最新のリンクだけです。",
    resend_too_many: "このアクティベーションではこれ以上メールを送信できません。迷惑メールフォルダーを確認するか、別のメールアドレスを使用してください。",
    different_email_button: "別のメールアドレスを使用",

    // Wizard honesty and My products (h-wizard).
    crossgrade_heading: "アップグレード対象の製品を保有するアカウントにサインインしてください",
    renewal_heading: "更新対象の製品を保有するアカウントにサインインしてください",
    login_id_rules: "3～64文字の英字、数字、ピリオド、ハイフン、アンダースコア。",
    verify_stopped_title: "このアクティベーションは中止されました。何もアクティベーションされていません",
    verify_stopped_remedy: "このリンクが最初に開かれたとき、対象のアカウントの制限によりアクティベーションが中止されました（例：注文のクラウドサービスがそのアカウントですでに有効だった、または注文に別のTrend Micro XDRリージョンが必要だった）。リンクを開き直しても変わりません。登録キーでもう一度やり直し、この注文を受け入れられるアカウントを選ぶか、新しいアカウントを作成してください。",
    verify_used_title: "このリンクは使用済みです。注文はアクティベーション済みです",
    verify_used_remedy: "これ以上の操作は不要です。サインインして［マイ製品］で製品とアクティベーションコードを確認してください。",
    verify_done_before: "このタブでこのアクティベーションはすでに完了しています。結果をもう一度表示します。",
    products_filter_label: "製品を探す",
    products_status_filter_label: "状態",
    products_status_all: "すべての状態",
    products_text_filter_label: "検索",
    products_text_filter_help: "製品名、注文番号、またはアクティベーションコード。",
    products_no_match: "条件に一致する製品はありません。",
    products_pages_label: "製品のページ",
    products_previous_page: "前のページ",
    products_next_page: "次のページ",
    products_download_csv: "CSVをダウンロード",
    products_downloading: "ダウンロード中…",

    signed_in_as: |email| format!("{email} でサインイン中"),
    key_wrong_length: |expected, found| {
        format!(
            "キーは英数字{expected}文字です（ハイフンとスペースを除く）が、入力されたのは{found}文字です。\
             抜けや重複がないか確認してください。"
        )
    },
    key_invalid_character: |character, position| {
        format!(
            "キーの{position}文字目（英数字のみで数えて）の「{character}」は使用できない文字です。\
             ライセンス証書と照合してください。"
        )
    },
    order_number: |number| format!("注文番号 {number}"),
    registered_count: |count| {
        format!("この注文のうち{count}件はすでに登録済みのため、表示していません。")
    },
    region_pinned: |region| {
        format!("Trend Micro XDRのリージョン：{region}（この注文の製品により指定）")
    },
    region_of_account: |region| {
        format!("Trend Micro XDRのリージョン：{region}（アカウントのリージョン）")
    },
    signed_in_continue: |email| {
        format!(
            "{email} でサインインしています。注文はこのアカウントでアクティベーションされます。"
        )
    },
    hint_line: |email, reason| format!("{email}：{reason}"),
    confirm_sent_to: |email| {
        format!(
            "{email} に確認用リンクを送信しました。リンクを開いてアクティベーションを完了してください。"
        )
    },
    confirm_expires: |when| format!("リンクの有効期限：{when}"),
    done_intro: |order| format!("注文番号 {order} がアカウントに登録されました。"),
    dialog_body: |region| {
        format!(
            "XDRアドオンは{region}リージョンで利用できるようになりました。\
             Trend Micro XDRコンソールを開いて管理してください。\
             コンソールは後から「マイ製品」からも開けます。"
        )
    },
    copy_label: |code| format!("アクティベーションコード {code} をコピー"),
    xdr_enabled: |region| {
        format!("このアカウントでは{region}リージョンのTrend Micro XDRが有効です。")
    },
    // Accounts (issue 15).
    forgot_sent_to: |email| {
        format!(
            "{email} を使用しているアカウントがあれば、新しいパスワードを設定するためのリンクを\
             送信しました。リンクは1回のみ、1時間有効です。メールが届かない場合は迷惑メールフォルダーを確認してください。"
        )
    },
    current_email: |email| format!("現在のメールアドレスは {email} です。"),
    email_change_sent: |email| {
        format!(
            "新しいメールアドレスをご確認ください。{email} にリンクを送信しました。リンクを開くと\
             メールアドレスが変更されます。それまでは現在のアドレスをお使いください。"
        )
    },
    activity_kind: |kind| {
        match kind {
            "account.created" => "アカウント作成",
            "account.email_verified" => "メールアドレス確認",
            "session.created" => "サインイン",
            "session.failed" => "サインインの失敗",
            "activation.requested" => "アクティベーションの申請",
            "activation.verified" => "アクティベーション完了",
            "activation.expired" => "アクティベーションリンクの期限切れ",
            "line.registered" => "製品の登録",
            "renewal.applied" => "更新の適用",
            "password.reset" => "パスワードの再設定",
            "password.changed" => "パスワードの変更",
            "password.reset_requested" => "パスワード再設定の申請",
            "account.email_changed" => "メールアドレスの変更",
            "account.email_change_requested" => "メールアドレス変更の申請",
            "account.profile_updated" => "プロフィールの更新",
            "activation.resent" => "アクティベーションメールの再送信",
            "activation.cancelled" => "アクティベーションの取り消し",
            "mfa.recovery_code_used" => "リカバリーコードの使用",
            "mfa.enabled" => "2段階認証をオン",
            "mfa.disabled" => "2段階認証をオフ",
            other => return other.to_owned(),
        }
        .to_owned()
    },

    // Wizard honesty and My products (h-wizard).
    crossgrade_body: |email| {
        format!(
            "この注文は、アカウント {email} に登録されている製品をアップグレードします。\
             このアカウントでのみアクティベーションできるため、新しいアカウントは作成できません。\
             続行するには {email} にサインインしてください。"
        )
    },
    renewal_body: |email| {
        format!(
            "このキーは、アカウント {email} に登録されている製品を更新します。\
             更新はこのアカウントにのみ登録できるため、新しいアカウントは作成できません。\
             続行するには {email} にサインインしてください。"
        )
    },
    days_left: |days| match days {
        0 => "本日終了".to_owned(),
        n => format!("残り{n}日"),
    },
    products_shown: |first, last, matching, total| {
        if matching == total {
            format!("全{total}件中 {first}～{last}件を表示")
        } else {
            format!("該当{matching}件（全{total}件）中 {first}～{last}件を表示")
        }
    },
    products_page_of: |page, pages| format!("{page} / {pages}ページ"),

    errors: ErrorTexts {
        saas_conflict: ErrorText {
            title: "この注文のクラウドサービスは、このアカウントですでに有効になっています",
            remedy: "注文を別のアカウントに登録するか、新しいアカウントを作成してください。",
        },
        region_conflict: ErrorText {
            title: "この注文には、アカウントとは異なるTrend Micro XDRのリージョンが必要です",
            remedy: "注文を別のアカウントに登録するか、新しいアカウントを作成してください。",
        },
        crossgrade_account_required: ErrorText {
            title: "この注文は既存のアカウントの製品をアップグレードするものです",
            remedy: "対象の製品を所有するアカウントにサインインし、そのアカウントで注文をアクティベーションしてください。",
        },
        renewal_account_mismatch: ErrorText {
            title: "この更新は別のアカウントのものです",
            remedy: "更新対象のアクティベーションコードを所有するアカウントにサインインしてください。",
        },
        nothing_to_activate: ErrorText {
            title: "この注文の製品はすべて登録済みです",
            remedy: "アクティベーションが必要な製品はありません。サインインして「マイ製品」で確認してください。",
        },
        verification_expired: ErrorText {
            title: "この確認用リンクは有効期限が切れています",
            remedy: "アクティベーションは行われていません。レジストレーションキーを使って、もう一度アクティベーションを行ってください。",
        },
        already_registered: ErrorText {
            title: "この製品はすでに登録されています",
            remedy: "「マイ製品」で確認するか、入力したキーが正しいか確認してください。",
        },
        wrong_flow: ErrorText {
            title: "このキーは別の登録手続きを使用します",
            remedy: "同じキーでアクティベーションページから最初からやり直してください。正しい手順にご案内します。",
        },
        invalid_key: ErrorText {
            title: "このキーは無効です",
            remedy: "ライセンス証書と1文字ずつ照合して、もう一度入力してください。",
        },
        unknown_key: ErrorText {
            title: "このキーは登録されていません",
            remedy: "ライセンス証書と照合してください。キーが正しい場合は、ライセンスを購入した販売店にお問い合わせください。",
        },
        validation_failed: ErrorText {
            title: "入力内容に不足または誤りがあります",
            remedy: "下記の項目を修正して、もう一度送信してください。",
        },
        invalid_credentials: ErrorText {
            title: "メールアドレス、ログインID、またはパスワードが正しくありません",
            remedy: "入力内容を確認して、もう一度お試しください。",
        },
        unauthorized: ErrorText {
            title: "サインインしていません",
            remedy: "サインインしてから、もう一度お試しください。",
        },
        forbidden: ErrorText {
            title: "このアカウントではこの操作を行えません",
            remedy: "別のアカウントでサインインするか、サポートにお問い合わせください。",
        },
        not_found: ErrorText {
            title: "お探しの情報が見つかりませんでした",
            remedy: "アドレスを確認するか、アクティベーションページから最初からやり直してください。",
        },
        account_exists: ErrorText {
            title: "このメールアドレスまたはログインIDのアカウントはすでに存在します",
            remedy: "そのアカウントにサインインするか、別のメールアドレスまたはログインIDを使用してください。",
        },
        conflict: ErrorText {
            title: "既存のデータと競合しています",
            remedy: "ページを再読み込みして、もう一度お試しください。",
        },
        idempotency_mismatch: ErrorText {
            title: "このリクエストは異なる内容ですでに送信されています",
            remedy: "アクティベーションページから最初からやり直してください。",
        },
        rate_limited: ErrorText {
            title: "試行回数が多すぎます",
            remedy: "1分ほど待ってから、もう一度お試しください。",
        },
        unavailable: ErrorText {
            title: "サービスを一時的に利用できません",
            remedy: "数分後にもう一度お試しください。",
        },
        internal: ErrorText {
            title: "システムで問題が発生しました",
            remedy: "数分後にもう一度お試しください。問題が続く場合は、サポートにお問い合わせください。",
        },
        link_expired: ErrorText {
            title: "リンクの有効期限が切れています",
            remedy: "このリンクは使用済みか、有効期限が切れています。新しいリンクをリクエストしてください。",
        },
        mfa_required: ErrorText {
            title: "2 段階認証のコードを入力してください",
            remedy: "認証アプリのコード、またはリカバリーコードのいずれかを入力してください。",
        },
        order_in_use: ErrorText {
            title: "この注文は使用中です",
            remedy: "この注文の製品は登録済みか、アクティベーション中です。",
        },
        order_cancelled: ErrorText {
            title: "この注文はキャンセルされました",
            remedy: "この注文のキーでは何もアクティベートできません。リセラーにお問い合わせください。",
        },
        bad_request: ErrorText {
            title: "リクエストを読み取れませんでした",
            remedy: "ページを再読み込みして、もう一度お試しください。",
        },
    },
    regions: RegionNames {
        us: "米国",
        eu: "欧州",
        jp: "日本",
        sg: "シンガポール",
        au: "オーストラリア",
        r#in: "インド",
        mea: "中東・アフリカ",
        uk: "英国",
        ca: "カナダ",
    },
    delivery: DeliveryNames {
        ac: "アクティベーションコード",
        saas: "クラウドサービス（SaaS）",
        suite: "スイート（コンポーネントごとにアクティベーションコード）",
    },
    hint_reasons: HintReasonNames {
        retained_ac_owner: "この注文でアップグレードする製品を所有しています",
        renewed_ac_owner: "この注文で更新する製品を所有しています",
        contact_email: "この注文の担当者メールアドレスを使用しています",
        email_domain: "この注文と同じメールドメインを使用しています",
        company_name: "同じ会社名で登録されています",
    },
    statuses: StatusNames {
        active: "有効",
        expiring: "期限間近",
        expired: "期限切れ",
    },
};
