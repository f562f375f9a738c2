//! The operator's commands (`team add`, `user add|list|disable`, `serve --demo`).

use doorstep_core::account::{check_new_password, Role, Username};
use sqlx::AnyPool;

use doorstep_core::sync::merge::Writer;
use doorstep_core::UnixMillis;

use crate::accounts::{self, AccountError, NewUser};
use crate::auth::token;
use crate::cli::{RoleArg, TeamCommand, UserCommand};
use crate::db;
use crate::demo;

pub const DEMO_TEAM: &str = "示范服务队 Demo team";
pub const DEMO_VOLUNTEER: &str = "demo-volunteer";
pub const DEMO_COORDINATOR: &str = "demo-coordinator";

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Volunteer => Role::Volunteer,
            RoleArg::Coordinator => Role::Coordinator,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// What a command printed, or why it failed (for the exit code and stderr).
pub type Outcome = Result<String, String>;

async fn open(url: &str) -> Result<AnyPool, String> {
    db::connect(url).await.map_err(|e| e.to_string())
}

/// `check [--quarantine]`: the stored records every answer skips, by team, kind and id.
pub async fn check(url: &str, quarantine: bool) -> Outcome {
    let pool = open(url).await?;
    let bad = crate::records::unreadable(&pool)
        .await
        .map_err(|e| e.to_string())?;
    if bad.is_empty() {
        return Ok("every stored record is readable".into());
    }
    let mut out: Vec<String> = bad
        .iter()
        .map(|r| format!("unreadable: team {} {} {}", r.team, r.kind, r.id))
        .collect();
    if quarantine {
        crate::records::quarantine(&pool, &bad)
            .await
            .map_err(|e| e.to_string())?;
        out.push(format!("{} moved to quarantined_records", bad.len()));
    } else {
        out.push(format!(
            "{} unreadable (skipped by every answer); --quarantine moves them aside",
            bad.len()
        ));
    }
    Ok(out.join("\n"))
}

pub async fn team(cmd: TeamCommand) -> Outcome {
    match cmd {
        TeamCommand::Add { name, db } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > doorstep_core::account::TEAM_NAME_MAX {
                return Err("a team name has 1 to 60 characters".into());
            }
            let pool = open(&db.database).await?;
            accounts::add_team(&pool, name)
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!("team added: {name}"))
        }
    }
}

fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("DOORSTEP_PASSWORD") {
        return Ok(p);
    }
    let p = rpassword::prompt_password("password: ")
        .map_err(|e| format!("no DOORSTEP_PASSWORD and no terminal to ask for a password ({e})"))?;
    let again = rpassword::prompt_password("again: ").map_err(|e| e.to_string())?;
    if p != again {
        return Err("the passwords differ".into());
    }
    Ok(p)
}

pub async fn user(cmd: UserCommand) -> Outcome {
    match cmd {
        UserCommand::Add {
            team,
            role,
            username,
            display_name,
            db,
        } => {
            let username = Username::parse(&username)
                .map_err(|e| format!("username: {}", e.message(doorstep_core::Lang::En)))?;
            let password = read_password()?;
            check_new_password(&password)
                .map_err(|e| format!("password: {}", e.message(doorstep_core::Lang::En)))?;
            let display = display_name.unwrap_or_else(|| username.to_string());
            let pool = open(&db.database).await?;
            accounts::add_user(
                &pool,
                NewUser {
                    team: team.trim(),
                    username: &username,
                    display_name: display.trim(),
                    role: role.into(),
                    password: &password,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            Ok(format!("user added: {username} ({team})"))
        }
        UserCommand::List { db } => {
            let pool = open(&db.database).await?;
            let users = accounts::list_users(&pool)
                .await
                .map_err(|e| e.to_string())?;
            let mut out = String::from("team\tusername\trole\tdisplay name\tstate");
            for u in users {
                out.push_str(&format!(
                    "\n{}\t{}\t{}\t{}\t{}",
                    u.team,
                    u.username,
                    u.role.label(doorstep_core::Lang::En).to_lowercase(),
                    u.display_name,
                    if u.disabled { "disabled" } else { "active" }
                ));
            }
            Ok(out)
        }
        UserCommand::Disable { username, db } => {
            let username = Username::parse(&username)
                .map_err(|e| format!("username: {}", e.message(doorstep_core::Lang::En)))?;
            let pool = open(&db.database).await?;
            accounts::disable_user(&pool, &username)
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!("user disabled, devices signed out: {username}"))
        }
    }
}

/// `serve --demo`: on an empty database, a demo team with a volunteer and a coordinator,
/// whose passwords are printed once, and two months of its work (see `demo::sample`), so
/// every screen has something to show.
pub async fn demo(pool: &AnyPool) -> Result<(), String> {
    let text = |e: AccountError| e.to_string();
    if !accounts::is_empty(pool).await.map_err(text)? {
        println!(
            "demo: this database has users already; the demo accounts, if made here, are \
             {DEMO_VOLUNTEER} and {DEMO_COORDINATOR} (passwords were printed when they were made)"
        );
        return Ok(());
    }
    let team_id = accounts::add_team(pool, DEMO_TEAM).await.map_err(text)?;
    let mut lines = Vec::new();
    let mut writers = Vec::new();
    for (name, role, display) in [
        (DEMO_VOLUNTEER, Role::Volunteer, "示范志愿者"),
        (DEMO_COORDINATOR, Role::Coordinator, "示范负责人"),
    ] {
        let password = token::mint()[..12].to_owned();
        let username = Username::parse(name).map_err(|e| e.field)?;
        let id = accounts::add_user(
            pool,
            NewUser {
                team: DEMO_TEAM,
                username: &username,
                display_name: display,
                role,
                password: &password,
            },
        )
        .await
        .map_err(text)?;
        lines.push(format!("  {name:<17} password {password}"));
        // The sample records arrive from a device of each, as a phone's would.
        let (user, _) = accounts::user_of_team(pool, &team_id, &id)
            .await
            .map_err(text)?
            .ok_or("the demo user vanished")?;
        let device_token = accounts::add_device(pool, &user, "示范数据")
            .await
            .map_err(text)?
            .token;
        let device = match accounts::check_token(pool, &device_token)
            .await
            .map_err(text)?
        {
            accounts::TokenCheck::Valid { device_id, .. } => device_id,
            _ => return Err("the demo device did not sign in".into()),
        };
        writers.push((id, device));
    }
    let [(vol, vol_device), (coord, coord_device)] = &writers[..] else {
        return Err("two demo users".into());
    };
    let sample = demo::sample(UnixMillis(accounts::now_millis()), vol, coord);
    let volunteer = Writer {
        user: vol,
        device: vol_device,
        coordinator: false,
        revoked: false,
    };
    let coordinator = Writer {
        user: coord,
        device: coord_device,
        coordinator: true,
        revoked: false,
    };
    let refused = demo::push(pool, &team_id, &sample, volunteer, coordinator)
        .await
        .map_err(|e| e.to_string())?;
    if refused > 0 {
        return Err(format!("{refused} demo records were refused"));
    }
    println!(
        "demo: team \"{DEMO_TEAM}\" with two accounts (shown once):\n{}\n\
         demo: {} households, {} visits and {} events of the last two months",
        lines.join("\n"),
        sample.households.len(),
        sample.visits.len(),
        sample.events.len()
    );
    Ok(())
}
