//! The TypeScript declarations of the account calls against the core: every string union
//! against the core's codes and names, every interface against the keys of what the core
//! (or `account.rs`, for the shapes it writes) serializes, and every problem code the core can
//! answer a user or a configuration with against the declared codes. The reader below knows
//! only the subset of TypeScript these declarations are written in.

use std::collections::BTreeSet;

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::users::password_problems;
use flexkit_core::flexpay::sandbox::{
    AccessLevel, GatewayRouting, PlatformConfig, RecoveryMinimum, Right, Sandbox, UserField,
};
use flexkit_core::{Currency, UtcTimestamp};
use serde_json::Value;

use super::{ACCOUNT_TYPES_TS, SANDBOX_TYPES_TS};
use crate::account::{access_levels, access_rights, user_problems, Answer, PlatformConfigOut};

fn t0() -> UtcTimestamp {
    UtcTimestamp::parse_iso8601("2026-01-01T00:00:00Z").unwrap()
}

/// The text of the declaration `export <kind> <name>` up to its end: the body between the
/// braces of an interface, the right-hand side of a type alias.
fn declaration(kind: &str, name: &str) -> String {
    let text = ACCOUNT_TYPES_TS;
    let head = format!("export {kind} {name} ");
    let start = text
        .find(&head)
        .unwrap_or_else(|| panic!("no `{head}` in the declarations"))
        + head.len();
    let rest = &text[start..];
    match kind {
        "interface" => {
            let open = rest.find('{').unwrap();
            let close = matching(rest, open);
            rest[open + 1..close].to_owned()
        }
        _ => {
            let rest = rest.trim_start().strip_prefix('=').unwrap();
            rest[..rest.find(";\n").unwrap()].to_owned()
        }
    }
}

/// The index of the brace that closes the one at `open`.
fn matching(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unclosed brace");
}

/// The members of an object type's body (`a: T; b?: U;`, comments between them), in order.
fn members(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_comment = false;
    let mut current = String::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &body[i..];
        if in_comment {
            if rest.starts_with("*/") {
                in_comment = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if rest.starts_with("/*") {
            in_comment = true;
            i += 2;
            continue;
        }
        match bytes[i] {
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && (bytes[i] == b';' || bytes[i] == b'\n') {
            if let Some((name, _)) = current.split_once(':') {
                out.push(name.trim().trim_end_matches('?').to_owned());
            }
            current.clear();
        } else {
            current.push(char::from(bytes[i]));
        }
        i += 1;
    }
    if let Some((name, _)) = current.split_once(':') {
        out.push(name.trim().trim_end_matches('?').to_owned());
    }
    out
}

fn interface(name: &str) -> BTreeSet<String> {
    members(&declaration("interface", name))
        .into_iter()
        .collect()
}

/// The string literals of a union of strings.
fn union(name: &str) -> BTreeSet<String> {
    declaration("type", name)
        .split('|')
        .map(str::trim)
        // A union written over lines starts with a `|`.
        .filter(|part| !part.is_empty())
        .map(|part| {
            assert!(
                part.starts_with('"') && part.ends_with('"'),
                "{name}: {part} is not a string literal"
            );
            part.trim_matches('"').to_owned()
        })
        .collect()
}

/// The members of each object literal of a union of object types.
fn variants(name: &str) -> Vec<BTreeSet<String>> {
    let text = declaration("type", name);
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('{').map(|i| i + at) {
        let close = matching(&text, open);
        out.push(members(&text[open + 1..close]).into_iter().collect());
        at = close + 1;
    }
    out
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{value} is not an object"))
        .keys()
        .cloned()
        .collect()
}

fn strings(items: impl IntoIterator<Item = impl Into<String>>) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

/// Every variant of the core's enums, by a match the compiler holds complete: a variant
/// added to the core fails to compile here until it is declared.
fn every_user_field() -> Vec<UserField> {
    let all = [
        UserField::Name,
        UserField::Username,
        UserField::AccessLevel,
        UserField::TemporaryPassword,
    ];
    for field in all {
        match field {
            UserField::Name
            | UserField::Username
            | UserField::AccessLevel
            | UserField::TemporaryPassword => {}
        }
    }
    all.to_vec()
}

fn every_routing() -> Vec<GatewayRouting> {
    let all = [
        GatewayRouting::NoRouting,
        GatewayRouting::RoutingEnabled,
        GatewayRouting::OriginalGatewayRouting,
    ];
    for routing in all {
        match routing {
            GatewayRouting::NoRouting
            | GatewayRouting::RoutingEnabled
            | GatewayRouting::OriginalGatewayRouting => {}
        }
    }
    all.to_vec()
}

fn serialized_name<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn the_reader_reads_these_declarations() {
    assert_eq!(
        members(
            "a: string;\n  /** b */\n  b?: { c: number; d: string[] } | null;\n  e: \"x\" | \"y\";"
        ),
        ["a", "b", "e"]
    );
    assert_eq!(
        variants("AddUserResult"),
        [
            strings(["ok", "invitation", "errors", "warnings"]),
            strings(["ok", "errors", "warnings"])
        ]
    );
}

#[test]
fn the_unions_are_the_core_codes_and_names() {
    assert_eq!(
        union("AccessLevel"),
        strings(AccessLevel::ALL.iter().map(|l| l.code()))
    );
    assert_eq!(
        union("AccessRight"),
        strings(Right::ALL.iter().map(|r| r.code()))
    );
    assert_eq!(
        union("UserField"),
        strings(every_user_field().into_iter().map(serialized_name))
    );
    assert_eq!(
        union("GatewayRouting"),
        strings(every_routing().into_iter().map(serialized_name))
    );
    // What the access levels' listing answers is every code of each union, in the core's order.
    let levels = serde_json::to_value(access_levels()).unwrap();
    let codes: Vec<&str> = levels
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["accessLevel"].as_str().unwrap())
        .collect();
    let core: Vec<&str> = AccessLevel::ALL.iter().map(|l| l.code()).collect();
    assert_eq!(codes, core);
}

#[test]
fn the_interfaces_have_the_keys_the_core_writes() {
    let mut sandbox = Sandbox::new(1);
    let invitation = sandbox
        .add_user(
            "Ada",
            "ada@example.com",
            AccessLevel::AccountReader,
            "Secret#12",
            t0(),
        )
        .unwrap();
    assert_eq!(
        interface("Invitation"),
        keys(&serde_json::json!(invitation))
    );
    let users = serde_json::json!(sandbox.users());
    for user in users.as_array().unwrap() {
        assert_eq!(interface("UserListing"), keys(user));
    }
    // A field the core writes as null (the owner's createdAt) is declared nullable.
    assert!(users[0]["createdAt"].is_null());
    assert!(declaration("interface", "UserListing").contains("createdAt: IsoTimestamp | null;"));
    let minimum = RecoveryMinimum {
        currency: Currency::from_code("USD").unwrap(),
        initial_sale: 2500,
        rebill: 0,
    };
    assert_eq!(
        interface("RecoveryMinimum"),
        keys(&serde_json::json!(minimum))
    );
    assert_eq!(
        interface("RecoveryMinimumInput"),
        interface("RecoveryMinimum")
    );
    let config = serde_json::to_value(PlatformConfigOut::from(&PlatformConfig::default())).unwrap();
    assert_eq!(interface("PlatformConfig"), keys(&config));
    assert_eq!(interface("PlatformConfigInput"), keys(&config));
    assert_eq!(config["gatewayRouting"], "NoRouting");
    assert_eq!(
        interface("AccessLevelInfo"),
        keys(&serde_json::to_value(access_levels()).unwrap()[0])
    );
    assert_eq!(
        interface("AccessRightInfo"),
        keys(&serde_json::to_value(access_rights()).unwrap()[0])
    );
    // The results: the validators' `{ ok, errors, warnings }` and the value when ok.
    let user = sandbox.users().remove(0);
    let default = PlatformConfig::default();
    for (name, answer) in [
        (
            "AddUserResult",
            Answer {
                ok: true,
                invitation: Some(&invitation),
                ..Answer::default()
            },
        ),
        (
            "UpdateUserResult",
            Answer {
                ok: true,
                user: Some(&user),
                ..Answer::default()
            },
        ),
        (
            "SetPlatformConfigResult",
            Answer {
                ok: true,
                config: Some((&default).into()),
                ..Answer::default()
            },
        ),
    ] {
        let refused = serde_json::to_value(Answer::refused(Vec::new())).unwrap();
        assert_eq!(
            variants(name),
            [keys(&serde_json::to_value(answer).unwrap()), keys(&refused)],
            "{name}"
        );
    }
}

#[test]
fn every_problem_the_core_answers_has_a_declared_code_and_path() {
    let mut sandbox = Sandbox::new(1);
    let mut problems = Vec::new();
    for (name, username, password) in [
        ("", "", ""),
        (&*"n".repeat(101), "not-an-email", "abcdefgh"),
        (
            "Ada",
            "owner@example.com",
            &*format!("Aa1!{}", "x".repeat(130)),
        ),
    ] {
        problems.extend(
            sandbox
                .add_user(name, username, AccessLevel::AccountReader, password, t0())
                .unwrap_err(),
        );
    }
    problems.extend(
        sandbox
            .update_user("nobody@example.com", "X", AccessLevel::AccountReader, t0())
            .unwrap_err(),
    );
    problems.extend(
        sandbox
            .update_user("owner@example.com", "X", AccessLevel::AccountReader, t0())
            .unwrap_err(),
    );
    problems.extend(password_problems(""));
    problems.extend(password_problems(" "));
    let written = serde_json::to_value(user_problems(problems)).unwrap();
    let written = written.as_array().unwrap();
    let codes: BTreeSet<String> = written
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        codes,
        union("UserProblemCode"),
        "every user problem code, each reached"
    );
    let fields = union("UserField");
    for p in written {
        assert_eq!(keys(p), strings(["path", "code", "message"]));
        assert!(fields.contains(p["path"].as_str().unwrap()), "{p}");
    }

    let usd = Currency::from_code("USD").unwrap();
    let config = PlatformConfig {
        recovery_minimums: vec![
            RecoveryMinimum {
                currency: usd,
                initial_sale: -1,
                rebill: 0,
            },
            RecoveryMinimum {
                currency: usd,
                initial_sale: 0,
                rebill: 0,
            },
        ],
        account_currencies: vec![usd, usd],
        gateway_routing: GatewayRouting::default(),
    };
    let mut codes: BTreeSet<String> = config
        .problems()
        .problems()
        .iter()
        .map(|p| p.code.to_owned())
        .collect();
    codes.insert(Currency::from_code("XXY").unwrap_err().code().to_owned());
    assert_eq!(codes, union("PlatformProblemCode"));
    assert!(sandbox
        .set_platform_config(Environment::Sandbox, config)
        .is_err());
}

#[test]
fn the_sandbox_class_declares_the_account_calls() {
    for call in [
        "users(): UserListing[];",
        "suggestTemporaryPassword(): string;",
        "addUser(user: NewUser, now: Instant): AddUserResult;",
        "checkTemporaryPassword(username: string, password: string): boolean;",
        "updateUser(username: string, changes: UserChanges, now: Instant): UpdateUserResult;",
        "setUserEnabled(username: string, enabled: boolean, now: Instant): void;",
        "unlockUser(username: string, now: Instant): void;",
        "deleteUser(username: string, now: Instant): void;",
        "platformConfig(environment: \"sandbox\" | \"production\"): PlatformConfig;",
        "setPlatformConfig(environment: \"sandbox\" | \"production\", config: PlatformConfigInput): SetPlatformConfigResult;",
        "createGateway(apiKey: string, gateway: Gateway, now: Instant): SavedGateway;",
        "listGateways(apiKey: string): SavedGateway[];",
        "getGateway(apiKey: string, gatewayToken: string): SavedGateway;",
        "updateGateway(apiKey: string, gatewayToken: string, gateway: Gateway, now: Instant): SavedGateway;",
        "setGatewayStatus(apiKey: string, gatewayToken: string, status: GatewayStatus, now: Instant): SavedGateway;",
        "deleteGateway(apiKey: string, gatewayToken: string, now: Instant): void;",
    ] {
        assert!(SANDBOX_TYPES_TS.contains(call), "{call}");
    }
}

/// Every code a `RetryChain` call can throw from the core's `ChainError` is explained in the
/// package's README, but `required`, which crosses as `invalid_argument` (see `retry.rs`).
#[test]
fn the_readme_explains_every_chain_error_code() {
    let readme = include_str!("../../../../web/npm/README.md");
    let source = include_str!("../../../core/src/flexpay/retry/error.rs");
    let codes: Vec<&str> = source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("ChainError::"))
        .filter_map(|rest| rest.split_once("=> \"").map(|(_, code)| code))
        .filter_map(|code| code.strip_suffix("\","))
        .collect();
    assert!(codes.len() >= 20, "{codes:?}");
    for code in codes.into_iter().filter(|&c| c != "required") {
        assert!(readme.contains(&format!("`{code}`")), "{code}");
    }
}

/// Every code of the core's sandbox `error_code` module that a `flexkit/sandbox` call can throw
/// or answer is explained in the package's README; the others belong to the portal's console
/// (deleting companies and keys, its retry button, reports; a gateway currency), which the npm
/// `Sandbox` does not expose. A new code must be listed with its calls, or named here.
#[test]
fn the_readme_explains_every_sandbox_error_code() {
    const CONSOLE_ONLY: &[&str] = &[
        // The npm Sandbox reads a gateway by `validateGateway`'s rules first, which refuse
        // such a currency as `invalid_gateway`; the console's form sends its own.
        "invalid_gateway_currency",
        "default_company_protected",
        "api_key_not_found",
        "chain_not_found",
        "retry_not_yet_allowed",
        "invalid_period",
    ];
    let readme = include_str!("../../../../web/npm/README.md");
    let source = include_str!("../../../core/src/flexpay/sandbox/mod.rs");
    let module = &source[source.find("pub mod error_code {").unwrap()..];
    let module = &module[..module.find("\n}").unwrap()];
    let codes: Vec<&str> = module
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub const "))
        .filter_map(|rest| rest.split_once("= \"").map(|(_, code)| code))
        .filter_map(|code| code.strip_suffix("\";"))
        .collect();
    assert!(codes.len() >= 30, "{codes:?}");
    for code in CONSOLE_ONLY {
        assert!(
            codes.contains(code),
            "{code} is no longer a code of the core"
        );
    }
    for code in codes.into_iter().filter(|c| !CONSOLE_ONLY.contains(c)) {
        assert!(readme.contains(&format!("`{code}`")), "{code}");
    }
}
