use super::*;
use proptest::prelude::*;

fn stamp() -> Stamp {
    Stamp {
        now: UnixMillis(1_795_714_200_000),
        today: Day::parse("2026-11-26").unwrap(),
        user: "u-1".into(),
    }
}

fn id() -> RecordId {
    RecordId::mint(UnixMillis(1_795_714_200_000), [1; 10])
}

fn draft() -> HouseholdDraft {
    HouseholdDraft {
        address: Address {
            community: " 幸福社区 ".into(),
            building: "3幢".into(),
            unit: "2单元".into(),
            room: "401室".into(),
            detail: String::new(),
        },
        residents: vec![Resident {
            name: "王奶奶".into(),
            age_band: Some(AgeBand::From80To89),
            ..Resident::default()
        }],
        ..HouseholdDraft::default()
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_minimal_household_is_valid_and_trimmed() {
    let h = draft().create(id(), &stamp()).unwrap();
    assert_eq!(h.address.community, "幸福社区");
    assert_eq!(h.address.one_line(), "幸福社区 3幢 2单元 401室");
    assert_eq!(h.author, "u-1");
    assert_eq!(h.created_at, h.updated_at);
    assert!(!h.has_sensitive_data());
}

#[test]
fn community_and_a_named_resident_are_required() {
    let mut d = draft();
    d.address.community = "  ".into();
    d.residents[0].name = String::new();
    let errs = d.create(id(), &stamp()).unwrap_err();
    assert_eq!(fields(&errs), ["address.community", "residents.0.name"]);
    d.residents.clear();
    assert!(fields(&d.create(id(), &stamp()).unwrap_err()).contains(&"residents"));
}

#[test]
fn sensitive_details_need_a_recorded_basis() {
    let mut d = draft();
    d.residents[0].lives_alone = true;
    d.residents[0].limited_mobility = true;
    d.needs = vec![NeedCategory::Health];
    let errs = d.create(id(), &stamp()).unwrap_err();
    assert_eq!(
        fields(&errs),
        [
            "residents.0.lives_alone",
            "residents.0.limited_mobility",
            "needs"
        ]
    );
    assert!(errs[0].message(Lang::Zh).contains("信息采集依据"));

    d.basis_kind = Some(BasisKind::DutyOfCare);
    d.basis_recorded_on = "2026-11-20".into();
    d.basis_recorded_by = "李协调员".into();
    let h = d.create(id(), &stamp()).unwrap();
    assert!(h.has_sensitive_data());
    assert_eq!(
        h.basis.unwrap().recorded_on,
        Day::parse("2026-11-20").unwrap()
    );
}

#[test]
fn a_basis_needs_who_when_and_a_witness_for_oral_consent() {
    let mut d = draft();
    d.basis_kind = Some(BasisKind::OralConsent {
        witness: " ".into(),
    });
    d.basis_recorded_on = "2026-11-27".into(); // tomorrow
    let errs = d.create(id(), &stamp()).unwrap_err();
    assert_eq!(
        fields(&errs),
        ["basis.witness", "basis.recorded_by", "basis.recorded_on"]
    );
    assert_eq!(errs[2].problem, Problem::InFuture);
    d.basis_recorded_on = "26/11/2026".into();
    let errs = d.create(id(), &stamp()).unwrap_err();
    assert_eq!(errs[2].problem, Problem::InvalidDate);
}

#[test]
fn phone_numbers_are_digits_and_punctuation_only() {
    let mut d = draft();
    d.residents[0].phone = "+86 138-0000-0000".into();
    assert!(d.create(id(), &stamp()).is_ok());
    d.residents[0].phone = "call the son".into();
    assert_eq!(
        d.create(id(), &stamp()).unwrap_err()[0].problem,
        Problem::NotAPhoneNumber
    );
}

#[test]
fn an_edit_keeps_identity_and_never_moves_time_back() {
    let original = draft().create(id(), &stamp()).unwrap();
    let mut d = HouseholdDraft::from_household(&original);
    d.notes = "子女在外地".into();
    let earlier = Stamp {
        now: UnixMillis(original.updated_at.0 - 5_000),
        user: "u-2".into(),
        ..stamp()
    };
    let edited = d.update(&original, &earlier).unwrap();
    assert_eq!(
        (edited.id, edited.created_at, edited.author.as_str()),
        (original.id, original.created_at, "u-1")
    );
    assert_eq!(edited.updated_at, original.updated_at);
    assert_eq!(edited.notes, "子女在外地");
}

#[test]
fn search_matches_every_term_in_address_or_names() {
    let h = draft().create(id(), &stamp()).unwrap();
    assert!(h.matches("幸福"));
    assert!(h.matches("3幢 王"));
    assert!(h.matches("  401 "));
    assert!(h.matches(""));
    assert!(!h.matches("和平"));
    assert!(!h.matches("3幢 李"));
    let mut d = draft();
    d.residents[0].name = "Wang Nainai".into();
    assert!(d.create(id(), &stamp()).unwrap().matches("WANG"));
    d.assigned_to = "李四".into();
    assert!(d.create(id(), &stamp()).unwrap().matches("3幢 李四"));
}

proptest! {
    #[test]
    fn validation_never_panics_and_json_roundtrips(
        community in "\\PC{0,50}", name in "\\PC{0,25}", phone in "[0-9 +a-z-]{0,25}",
        on in "\\PC{0,12}", alone: bool, witness in proptest::option::of("\\PC{0,25}"),
    ) {
        let mut d = draft();
        d.address.community = community;
        d.residents[0].name = name;
        d.residents[0].phone = phone;
        d.residents[0].lives_alone = alone;
        d.basis_kind = witness.map(|w| BasisKind::OralConsent { witness: w });
        d.basis_recorded_on = on;
        d.basis_recorded_by = "李".into();
        if let Ok(h) = d.create(id(), &stamp()) {
            let json = serde_json::to_string(&h).unwrap();
            prop_assert_eq!(serde_json::from_str::<Household>(&json).unwrap(), h.clone());
            prop_assert!(!h.has_sensitive_data() || h.basis.is_some());
        }
    }
}

#[test]
fn conflict_values_read_as_words() {
    use crate::household::{describe_field, field_label};
    use crate::Lang;
    assert_eq!(describe_field("notes", "\"耳背\"", Lang::Zh), "耳背");
    assert_eq!(describe_field("notes", "null", Lang::Zh), "（空）");
    assert_eq!(
        describe_field(
            "address",
            r#"{"community":"幸福社区","building":"3幢"}"#,
            Lang::Zh
        ),
        "幸福社区 3幢"
    );
    assert_eq!(describe_field("cadence", "\"weekly\"", Lang::En), "Weekly");
    assert_eq!(describe_field("archived", "true", Lang::Zh), "已归档");
    assert_eq!(field_label("notes", Lang::Zh), "备注");
}
