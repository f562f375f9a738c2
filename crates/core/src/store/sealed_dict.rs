//! The dictionary sealed values are compressed with (LZ4, `store::sealed`): the shapes of
//! the records as the phone stores them — field names, coded values, the words an address
//! and a visit use — so a record of a few hundred bytes compresses against it, not only
//! against itself. It holds no one's data.
//!
//! **Never change it**: values stored with it need exactly these bytes to open. A new
//! dictionary is a new form number in `sealed.rs`, beside this one.

pub const V1: &[u8] = concat!(
    r#"{"id":"01a2e000-0000-7000-8000-000000000000","kind":"convenience_day","title":"便民服务日","#,
    r#""day":"2026-12-01","start_time":"09:00","place":"社区广场","partners":["sub_district_office","#,
    r#""community_committee","police_station","clinic","other"],"volunteers":["张三","李四"],"#,
    r#""attendance":30,"tallies":{"haircuts":10,"bp_checks":20,"knives_sharpened":5,"#,
    r#""clinic_consultations":8,"leaflets":100,"banners":1},"kind":"health_lecture","#,
    r#""kind":"anti_fraud","kind":"performance","kind":"parent_child","#,
    r#"{"id":"01a2e000-0000-7000-8000-000000000000","address":{"community":"幸福社区","#,
    r#""building":"1幢","unit":"1单元","room":"101室","detail":""},"residents":[{"name":"王奶奶","#,
    r#""age_band":"from80_to89","lives_alone":true,"limited_mobility":true,"phone":"138"},"#,
    r#"{"name":"李爷爷","age_band":"from70_to79"},{"name":"","age_band":"from60_to69"},"#,
    r#"{"name":"","age_band":"from90"},{"name":"","age_band":"under60"}],"#,
    r#""needs":["health","daily_living","safety","loneliness","money_or_fraud_risk"],"#,
    r#""cadence":"festivals_only","cadence":"weekly","cadence":"monthly","cadence":"fortnightly","#,
    r#""basis":{"kind":{"oral_consent":{"witness":""}},"kind":"duty_of_care","#,
    r#""basis":{"kind":"written_consent","recorded_on":"2026-11-03","recorded_by":"李四"},"#,
    r#""archived":true,"assigned_to":"","#,
    r#"{"id":"01a2e000-0000-7000-8000-000000000000","household_id":"01a2e000-0000-7000-8000-"#,
    r#"000000000000","day":"2026-12-01","volunteers":["张三","李四"],"partners":["community_committee"],"#,
    r#""services":{"companionship_chat":true,"cleaning_help":true,"holiday_greeting":true,"#,
    r#""supplies":[{"item":"大米","quantity":1,"unit":"袋"},{"item":"食用油","quantity":1,"unit":"桶"}],"#,
    r#""blood_pressure":{"systolic":130,"diastolic":80},"haircut":true,"knife_sharpening":true,"#,
    r#""free_clinic":true,"anti_fraud_talk":true,"leaflet_given":true},"#,
    r#""conditions":{"level":"needs_attention","text":""},"conditions":{"level":"urgent","text":""},"#,
    r#""conditions":{"level":"good","text":""},"needs":["loneliness"],"needs_text":"","#,
    r#""residents_words":"身体还好","follow_up":{"what":"","due":"2026-12-15","done_on":"2026-12-15"},"#,
    r#""notes":"","created_at":1796671515028,"updated_at":1796671515028,"author":"01a2e000-0000-7000-"#,
    r#"8000-000000000000","rev":1,"received_at":1796671515028}"#,
)
.as_bytes();
