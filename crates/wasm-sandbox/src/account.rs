//! The account's users and the platform configuration of each environment (the portal's
//! Account settings → Users and Platform configuration) on the raw sandbox, and the access
//! levels with their rights as data.
//!
//! The core judges everything: a user to add or update is answered with every problem the
//! core found (`users.rs`), a configuration with every problem of `PlatformConfig::problems`,
//! each as `{ path, code, message }` in the core's words, inside `{ ok, errors, warnings }` as
//! the validators of the `flexkit` entry answer. What the core refuses as an `AdminError`
//! (disabling, unlocking or deleting a user) is thrown with its code, as a company's or a
//! FlexPay Retries configuration's refusals are. Arguments the core cannot be given at all (a
//! name that is not a string, an unknown key, an access level or routing that is none of the
//! core's) are misuse: `invalid_argument`, named by their path from the argument.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::{
    AccessLevel, GatewayRouting, Invitation, PlatformConfig, RecoveryMinimum, Right, UserListing,
    UserProblem,
};
use flexkit_core::Currency;
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::fields::{invalid, known_keys, shown};
use crate::js::{error_code, expect_instant, expect_string, type_name};
use crate::sandbox::{admin_error, RawSandbox};
use crate::to_json;

/// The routings by the names the core writes (and a snapshot stores), in its order.
const ROUTINGS: [GatewayRouting; 3] = [
    GatewayRouting::NoRouting,
    GatewayRouting::RoutingEnabled,
    GatewayRouting::OriginalGatewayRouting,
];

const NEW_USER_FIELDS: [&str; 4] = ["name", "username", "accessLevel", "temporaryPassword"];
const USER_CHANGES: [&str; 2] = ["name", "accessLevel"];
const CONFIG_FIELDS: [&str; 3] = ["recoveryMinimums", "accountCurrencies", "gatewayRouting"];
const MINIMUM_FIELDS: [&str; 3] = ["currency", "initialSale", "rebill"];

/// The name the core writes for `routing` (`"NoRouting"`, ...).
fn routing_name(routing: GatewayRouting) -> String {
    serde_json::to_value(routing)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn quoted_name(routing: GatewayRouting) -> String {
    format!("\"{}\"", routing_name(routing))
}

/// The routing `text` names: as the core writes it (`"RoutingEnabled"`), or with a small
/// first letter (`"routingEnabled"`), as the package's other names are taken (`"sandbox"`,
/// `"enabled"`).
fn routing_of(text: &str) -> Option<GatewayRouting> {
    ROUTINGS.into_iter().find(|routing| {
        let name = routing_name(*routing);
        let (first, rest) = name.split_at(1.min(name.len()));
        text == name || text.strip_prefix(first.to_ascii_lowercase().as_str()) == Some(rest)
    })
}

/// A problem as the package's results carry it, in the core's words.
#[derive(Serialize)]
pub(crate) struct Problem {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

/// `{ ok, errors, warnings }` as the validators of the `flexkit` entry answer, with the value
/// of a change that was made (under its own key) when there is no problem.
#[derive(Default, Serialize)]
pub(crate) struct Answer<'a> {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation: Option<&'a Invitation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<&'a UserListing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<PlatformConfigOut<'a>>,
    pub errors: Vec<Problem>,
    /// None of these calls warns.
    pub warnings: [Problem; 0],
}

impl Answer<'_> {
    pub(crate) fn refused(errors: Vec<Problem>) -> Self {
        Answer {
            errors,
            ..Answer::default()
        }
    }
}

/// A user problem at the field of the object the caller gave (`name`, `temporaryPassword`).
pub(crate) fn user_problems(problems: Vec<UserProblem>) -> Vec<Problem> {
    problems
        .into_iter()
        .map(|p| Problem {
            path: serde_json::to_value(p.field)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            code: p.code,
            message: p.message,
        })
        .collect()
}

/// The configuration of one environment with every field written (the core's own
/// serialization leaves defaults out, as its snapshot does).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlatformConfigOut<'a> {
    recovery_minimums: &'a [RecoveryMinimum],
    account_currencies: &'a [Currency],
    gateway_routing: GatewayRouting,
}

impl<'a> From<&'a PlatformConfig> for PlatformConfigOut<'a> {
    fn from(config: &'a PlatformConfig) -> Self {
        PlatformConfigOut {
            recovery_minimums: &config.recovery_minimums,
            account_currencies: &config.account_currencies,
            gateway_routing: config.gateway_routing,
        }
    }
}

/// An access level as `accessLevels()` lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccessLevelInfo {
    access_level: &'static str,
    label: &'static str,
    summary: &'static str,
    rights: Vec<&'static str>,
}

/// Every access level with the portal's label and summary and its rights' codes.
pub(crate) fn access_levels() -> Vec<AccessLevelInfo> {
    AccessLevel::ALL
        .iter()
        .map(|level| AccessLevelInfo {
            access_level: level.code(),
            label: level.label(),
            summary: level.summary(),
            rights: level.rights().iter().map(|r| r.code()).collect(),
        })
        .collect()
}

/// A right as `accessRights()` lists it.
#[derive(Serialize)]
pub(crate) struct AccessRightInfo {
    right: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct AccessTable {
    levels: Vec<AccessLevelInfo>,
    rights: Vec<AccessRightInfo>,
}

/// Every right with the portal's label, in the order of its roles table.
pub(crate) fn access_rights() -> Vec<AccessRightInfo> {
    Right::ALL
        .iter()
        .map(|right| AccessRightInfo {
            right: right.code(),
            label: right.label(),
        })
        .collect()
}

/// `"sandbox"` or `"production"` (as `Sandbox` and `Production` too), required.
fn environment(value: &JsValue) -> Result<Environment, JsValue> {
    let text = value.as_string().ok_or_else(|| {
        invalid(&format!(
            "environment must be \"sandbox\" or \"production\", got {}",
            type_name(value)
        ))
    })?;
    match text.as_str() {
        "sandbox" | "Sandbox" => Ok(Environment::Sandbox),
        "production" | "Production" => Ok(Environment::Production),
        _ => Err(invalid(&format!(
            "environment must be \"sandbox\" or \"production\", got {}",
            shown(&Value::String(text))
        ))),
    }
}

/// The JSON object the JS layer wrote for the argument `name`, its keys checked.
fn object(
    text: &JsValue,
    name: &str,
    what: &str,
    known: &[&str],
) -> Result<Map<String, Value>, JsValue> {
    let value: Value = crate::from_json(text, name, error_code::INVALID_ARGUMENT)?;
    let Value::Object(object) = value else {
        return Err(invalid(&format!(
            "{name} must be an object {what}, got {}",
            shown(&value)
        )));
    };
    known_keys(&object, name, known)?;
    Ok(object)
}

/// A string field; `None` when left out (or null) and not `required`.
fn string_field(
    object: &Map<String, Value>,
    name: &str,
    field: &str,
    required: bool,
) -> Result<Option<String>, JsValue> {
    match object.get(field) {
        Some(Value::String(text)) => Ok(Some(text.clone())),
        None | Some(Value::Null) if !required => Ok(None),
        other => Err(invalid(&format!(
            "{name}.{field} must be a string, got {}",
            other.map_or_else(|| "none".into(), shown)
        ))),
    }
}

/// An access level by its code; `None` when left out (or null) and not `required`.
fn access_level_field(
    object: &Map<String, Value>,
    name: &str,
    required: bool,
) -> Result<Option<AccessLevel>, JsValue> {
    let given = object.get("accessLevel");
    if !required && given.is_none_or(Value::is_null) {
        return Ok(None);
    }
    given
        .and_then(Value::as_str)
        .and_then(AccessLevel::from_code)
        .map(Some)
        .ok_or_else(|| {
            let codes: Vec<String> = AccessLevel::ALL
                .iter()
                .map(|level| format!("\"{}\"", level.code()))
                .collect();
            invalid(&format!(
                "{name}.accessLevel must be one of {}, got {}",
                codes.join(", "),
                given.map_or_else(|| "none".into(), shown)
            ))
        })
}

/// The configuration `text` describes, on top of `current` (a field left out, or null, keeps
/// its value), and the problems of the values the core's types cannot hold (a currency that
/// is not an ISO 4217 code), at their paths from the configuration's root.
fn read_config(
    text: &JsValue,
    current: &PlatformConfig,
) -> Result<(PlatformConfig, Vec<Item>), JsValue> {
    const NAME: &str = "config";
    let object = object(
        text,
        NAME,
        "{ recoveryMinimums, accountCurrencies, gatewayRouting }",
        &CONFIG_FIELDS,
    )?;
    let mut config = current.clone();
    let mut items = Vec::new();
    if let Some(list) = array_field(
        &object,
        "recoveryMinimums",
        "{ currency, initialSale, rebill }",
    )? {
        config.recovery_minimums.clear();
        for (i, item) in list.iter().enumerate() {
            let name = format!("{NAME}.recoveryMinimums[{i}]");
            let Value::Object(row) = item else {
                return Err(invalid(&format!(
                    "{name} must be an object {{ currency, initialSale, rebill }}, got {}",
                    shown(item)
                )));
            };
            known_keys(row, &name, &MINIMUM_FIELDS)?;
            let currency = match row.get("currency") {
                Some(Value::String(code)) => Currency::from_code(code),
                other => {
                    return Err(invalid(&format!(
                        "{name}.currency must be an ISO 4217 code such as \"USD\", got {}",
                        other.map_or_else(|| "none".into(), shown)
                    )))
                }
            };
            let initial_sale = minor_units(row, &name, "initialSale")?;
            let rebill = minor_units(row, &name, "rebill")?;
            match currency {
                Ok(currency) => {
                    config.recovery_minimums.push(RecoveryMinimum {
                        currency,
                        initial_sale,
                        rebill,
                    });
                    items.push(Item::Row(Section::Minimums, i));
                }
                Err(e) => items.push(Item::Unreadable(
                    Section::Minimums,
                    i,
                    Problem {
                        path: format!("recoveryMinimums[{i}].currency"),
                        code: e.code(),
                        message: e.to_string(),
                    },
                )),
            }
        }
    }
    if let Some(list) = array_field(&object, "accountCurrencies", "ISO 4217 codes")? {
        config.account_currencies.clear();
        for (i, item) in list.iter().enumerate() {
            let Value::String(code) = item else {
                return Err(invalid(&format!(
                    "{NAME}.accountCurrencies[{i}] must be an ISO 4217 code such as \"USD\", got {}",
                    shown(item)
                )));
            };
            match Currency::from_code(code) {
                Ok(currency) => {
                    config.account_currencies.push(currency);
                    items.push(Item::Row(Section::Currencies, i));
                }
                Err(e) => items.push(Item::Unreadable(
                    Section::Currencies,
                    i,
                    Problem {
                        path: format!("accountCurrencies[{i}]"),
                        code: e.code(),
                        message: e.to_string(),
                    },
                )),
            }
        }
    }
    match object.get("gatewayRouting") {
        None | Some(Value::Null) => {}
        Some(given) => {
            config.gateway_routing = given.as_str().and_then(routing_of).ok_or_else(|| {
                let names: Vec<String> = ROUTINGS.iter().map(|r| quoted_name(*r)).collect();
                invalid(&format!(
                    "{NAME}.gatewayRouting must be {}, {} or {}, got {}",
                    names[0],
                    names[1],
                    names[2],
                    shown(given)
                ))
            })?;
        }
    }
    Ok((config, items))
}

/// An array field of the configuration; `None` when left out (or null).
fn array_field<'v>(
    object: &'v Map<String, Value>,
    field: &str,
    items: &str,
) -> Result<Option<&'v Vec<Value>>, JsValue> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(list)) => Ok(Some(list)),
        Some(other) => Err(invalid(&format!(
            "config.{field} must be an array of {items}, got {}",
            shown(other)
        ))),
    }
}

/// A recovery minimum in minor units: left out is 0, no minimum; a whole number is the
/// core's to judge (below 0 or above 2^53 - 1 is its `invalid_recovery_minimum`). Null is
/// refused: it is also what `JSON.stringify` makes of `NaN` and `Infinity`.
fn minor_units(row: &Map<String, Value>, name: &str, field: &str) -> Result<i64, JsValue> {
    match row.get(field) {
        None => Ok(0),
        Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
        Some(other) => Err(invalid(&format!(
            "{name}.{field} must be a whole number of minor units (2500 for USD 25.00), got {}",
            shown(other)
        ))),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd)]
enum Section {
    Minimums,
    Currencies,
}

/// Where each item of the configuration given went: into the configuration the core checks
/// (its index there is its place among these), or nowhere, with the problem that says why.
enum Item {
    Row(Section, usize),
    Unreadable(Section, usize, Problem),
}

/// Every problem of `config`, read from `read`: the core's, their paths moved back to the
/// items as given (an item the core never saw is not counted in its indexes), and the
/// unreadable items', in the order of the configuration given.
fn config_problems(config: &PlatformConfig, read: Vec<Item>) -> Vec<Problem> {
    let given = |section: Section, at: usize| {
        read.iter()
            .filter_map(|p| match p {
                Item::Row(s, i) if *s == section => Some(*i),
                _ => None,
            })
            .nth(at)
    };
    // The core's problems come in the order of the configuration, minimums first; each
    // unreadable item's goes before the first problem of a later item (no sort: it would
    // link one of std's sorts for this alone).
    let mut out: Vec<(Section, usize, Problem)> = Vec::new();
    for p in config.problems().errors() {
        let (section, prefix) = if p.path.starts_with("recoveryMinimums[") {
            (Section::Minimums, "recoveryMinimums[")
        } else {
            (Section::Currencies, "accountCurrencies[")
        };
        let rest = p.path.get(prefix.len()..).unwrap_or_default();
        let (index, after) = rest.split_once(']').unwrap_or((rest, ""));
        let (at, path) = match index.parse().ok().and_then(|at| given(section, at)) {
            Some(at) => (at, format!("{prefix}{at}]{after}")),
            None => (usize::MAX, p.path.clone()),
        };
        out.push((
            section,
            at,
            Problem {
                path,
                code: p.code,
                message: p.message.clone(),
            },
        ));
    }
    for p in read {
        if let Item::Unreadable(section, at, problem) = p {
            let place = out
                .iter()
                .position(|(s, i, _)| (*s, *i) > (section, at))
                .unwrap_or(out.len());
            out.insert(place, (section, at, problem));
        }
    }
    out.into_iter().map(|(_, _, problem)| problem).collect()
}

#[wasm_bindgen(js_class = RawSandbox)]
impl RawSandbox {
    /// `{ levels, rights }`: every access level, in the portal's order, with its rights'
    /// codes, and every right, in the order of the portal's roles table (one export for the
    /// two lists the JS layer hands out).
    #[wasm_bindgen(js_name = accessLevels)]
    pub fn access_levels() -> Result<String, JsValue> {
        to_json(&AccessTable {
            levels: access_levels(),
            rights: access_rights(),
        })
    }

    /// Every user, the owner first, then in the order they were added.
    pub fn users(&self) -> Result<String, JsValue> {
        to_json(&self.inner.users())
    }

    /// A temporary password that keeps the rule, drawn from the sandbox's random stream.
    #[wasm_bindgen(js_name = suggestTemporaryPassword)]
    pub fn suggest_temporary_password(&mut self) -> String {
        self.inner.suggest_temporary_password()
    }

    /// `user`: JSON text of `{ name, username, accessLevel, temporaryPassword }`.
    #[wasm_bindgen(js_name = addUser)]
    pub fn add_user(&mut self, user: JsValue, now: JsValue) -> Result<String, JsValue> {
        const NAME: &str = "user";
        let object = object(
            &user,
            NAME,
            "{ name, username, accessLevel, temporaryPassword }",
            &NEW_USER_FIELDS,
        )?;
        let name = string_field(&object, NAME, "name", true)?.unwrap_or_default();
        let username = string_field(&object, NAME, "username", true)?.unwrap_or_default();
        let level = access_level_field(&object, NAME, true)?.unwrap_or(AccessLevel::AccountReader);
        let password = string_field(&object, NAME, "temporaryPassword", true)?.unwrap_or_default();
        let now = expect_instant(&now, "now")?;
        match self.inner.add_user(&name, &username, level, &password, now) {
            Ok(invitation) => to_json(&Answer {
                ok: true,
                invitation: Some(&invitation),
                ..Answer::default()
            }),
            Err(problems) => to_json(&Answer::refused(user_problems(problems))),
        }
    }

    #[wasm_bindgen(js_name = checkTemporaryPassword)]
    pub fn check_temporary_password(
        &self,
        username: JsValue,
        password: JsValue,
    ) -> Result<bool, JsValue> {
        let username = expect_string(&username, "username")?;
        let password = expect_string(&password, "password")?;
        Ok(self.inner.check_temporary_password(&username, &password))
    }

    /// `changes`: JSON text of `{ name?, accessLevel? }`; a field left out keeps its value.
    #[wasm_bindgen(js_name = updateUser)]
    pub fn update_user(
        &mut self,
        username: JsValue,
        changes: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        const NAME: &str = "changes";
        let username = expect_string(&username, "username")?;
        let object = object(&changes, NAME, "{ name, accessLevel }", &USER_CHANGES)?;
        let name = string_field(&object, NAME, "name", false)?;
        let level = access_level_field(&object, NAME, false)?;
        let now = expect_instant(&now, "now")?;
        // The user's current values fill in what is left out; an unknown username is the
        // core's to answer (`user_not_found` at `username`).
        let users = self.inner.users();
        let current = users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username.trim()));
        let name = name
            .or_else(|| current.map(|u| u.name.clone()))
            .unwrap_or_default();
        let level = level
            .or_else(|| current.map(|u| u.access_level))
            .unwrap_or(AccessLevel::AccountAdministrator);
        match self.inner.update_user(&username, &name, level, now) {
            Ok(user) => to_json(&Answer {
                ok: true,
                user: Some(&user),
                ..Answer::default()
            }),
            Err(problems) => to_json(&Answer::refused(user_problems(problems))),
        }
    }

    /// The user actions the core answers with nothing or an `AdminError` (thrown with its
    /// code), in one export: `op` "enabled" (`enabled`: true or false), "unlock" or
    /// "delete".
    #[wasm_bindgen(js_name = changeUser)]
    pub fn change_user(
        &mut self,
        op: JsValue,
        username: JsValue,
        enabled: JsValue,
        now: JsValue,
    ) -> Result<(), JsValue> {
        let op = expect_string(&op, "op")?;
        let username = expect_string(&username, "username")?;
        let enabled = match (op.as_str(), enabled.as_bool()) {
            ("enabled", None) => {
                return Err(invalid(&format!(
                    "enabled must be true or false, got {}",
                    type_name(&enabled)
                )))
            }
            (_, enabled) => enabled,
        };
        let now = expect_instant(&now, "now")?;
        let s = &mut self.inner;
        match (op.as_str(), enabled) {
            ("enabled", Some(enabled)) => s.set_user_enabled(&username, enabled, now),
            ("unlock", _) => s.unlock_user(&username, now),
            ("delete", _) => s.delete_user(&username, now),
            _ => return Err(invalid("op must be enabled, unlock or delete")),
        }
        .map_err(|e| admin_error(&e))
    }

    #[wasm_bindgen(js_name = platformConfig)]
    pub fn platform_config(&self, environment: JsValue) -> Result<String, JsValue> {
        let mode = self::environment(&environment)?;
        to_json(&PlatformConfigOut::from(self.inner.platform_config(mode)))
    }

    /// `config`: JSON text of the fields to change; the others keep their values. Nothing
    /// changes while the configuration has a problem.
    #[wasm_bindgen(js_name = setPlatformConfig)]
    pub fn set_platform_config(
        &mut self,
        environment: JsValue,
        config: JsValue,
    ) -> Result<String, JsValue> {
        let mode = self::environment(&environment)?;
        let (config, read) = read_config(&config, self.inner.platform_config(mode))?;
        let problems = config_problems(&config, read);
        if !problems.is_empty() {
            return to_json(&Answer::refused(problems));
        }
        self.inner
            .set_platform_config(mode, config)
            .map_err(|e| admin_error(&e))?;
        to_json(&Answer {
            ok: true,
            config: Some(self.inner.platform_config(mode).into()),
            ..Answer::default()
        })
    }
}
