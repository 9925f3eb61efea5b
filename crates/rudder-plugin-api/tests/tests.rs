//! Wire-format tests: the exact JSON Helm 4.2 exchanges with plugins
//! (spec §3.7) and Go's decoding rules on what plugins answer.

use rudder_plugin_api::{cli, from_json, getter, postrenderer, test, to_json};

fn wire<T: serde::Serialize>(v: &T) -> String {
    match to_json(v).map(String::from_utf8) {
        Ok(Ok(s)) => s,
        other => panic!("encoding failed: {other:?}"),
    }
}

fn err_of<T: rudder_plugin_api::GoDecode + Default + std::fmt::Debug>(json: &str) -> String {
    match from_json::<T>(json.as_bytes()) {
        Ok(v) => panic!("{json} decoded to {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn cli_input_shape() {
    let input = cli::Input {
        extra_args: vec!["--foo".into(), "bar".into()],
    };
    assert_eq!(wire(&input), r#"{"extraArgs":["--foo","bar"]}"#);
    assert_eq!(wire(&cli::Input::default()), r#"{"extraArgs":[]}"#);
}

#[test]
fn getter_input_shape_matches_helm() {
    let input = getter::Input {
        href: "s3://b/c.tgz".into(),
        protocol: "s3".into(),
        options: getter::GetterOptions::default(),
    };
    assert_eq!(
        wire(&input),
        r#"{"href":"s3://b/c.tgz","protocol":"s3","options":{"URL":"","CertFile":"","KeyFile":"","CAFile":"","UNTar":false,"InsecureSkipVerifyTLS":false,"PlainHTTP":false,"AcceptHeader":"","Username":"","Password":"","PassCredentialsAll":false,"UserAgent":"","Version":"","Timeout":0}}"#
    );
}

#[test]
fn html_characters_are_escaped_as_go_does() {
    let input = getter::Input {
        href: "x://a?b=1&c=<2>".into(),
        ..Default::default()
    };
    assert!(wire(&input).starts_with(r#"{"href":"x://a?b=1\u0026c=\u003c2\u003e""#));
}

#[test]
fn test_messages_use_go_field_names() {
    assert_eq!(
        wire(&test::Input {
            name: "Phippy".into()
        }),
        r#"{"Name":"Phippy"}"#
    );
    let out: Result<test::Output, _> = from_json(br#"{"Greeting":"Hello, Phippy! (6)"}"#);
    assert_eq!(out.map(|o| o.greeting), Ok("Hello, Phippy! (6)".to_owned()));
    let out: Result<test::Output, _> = from_json(br#"{"greeting":"hi","extra":[1,{"a":null}]}"#);
    assert_eq!(out.map(|o| o.greeting), Ok("hi".to_owned()));
}

#[test]
fn getter_output_base64() {
    let out: Result<getter::Output, _> = from_json(br#"{"data":"aGVsbG8="}"#);
    assert_eq!(out.map(|o| o.data), Ok(b"hello".to_vec()));
    // Case-insensitive key (spec §9 case 18).
    let out: Result<getter::Output, _> = from_json(br#"{"Data":"aGVsbG8="}"#);
    assert_eq!(out.map(|o| o.data), Ok(b"hello".to_vec()));
    // The last of two keys that fold to the same field wins, in input order.
    let out: Result<getter::Output, _> = from_json(br#"{"DATA":"aGk=","data":"aGVsbG8="}"#);
    assert_eq!(out.map(|o| o.data), Ok(b"hello".to_vec()));
    // null and absent leave the zero value.
    let out: Result<getter::Output, _> = from_json(br#"{"data":null}"#);
    assert_eq!(out.map(|o| o.data), Ok(Vec::new()));
    let out: Result<getter::Output, _> = from_json(b"null");
    assert_eq!(out.map(|o| o.data), Ok(Vec::new()));
    // Go also accepts a JSON array of numbers for []byte.
    let out: Result<getter::Output, _> = from_json(br#"{"data":[104,105]}"#);
    assert_eq!(out.map(|o| o.data), Ok(b"hi".to_vec()));
    assert_eq!(
        wire(&getter::Output {
            data: b"hello".to_vec()
        }),
        r#"{"data":"aGVsbG8="}"#
    );
}

#[test]
fn getter_output_errors_are_go_texts() {
    assert_eq!(
        err_of::<getter::Output>(r#"{"data":"aGVsbG8"}"#),
        "illegal base64 data at input byte 4"
    );
    assert_eq!(
        err_of::<getter::Output>(r#"{"data":true}"#),
        "json: cannot unmarshal bool into Go struct field OutputMessageGetterV1.data of type []uint8"
    );
    assert_eq!(
        err_of::<getter::Output>(r#"{"data":[300]}"#),
        "json: cannot unmarshal number 300 into Go struct field OutputMessageGetterV1.data of type uint8"
    );
    assert_eq!(
        err_of::<getter::Output>(r#""ok""#),
        "json: cannot unmarshal string into Go value of type schema.OutputMessageGetterV1"
    );
}

#[test]
fn nested_field_errors_name_the_inner_struct_and_path() {
    assert_eq!(
        err_of::<getter::Input>(r#"{"options":{"URL":1}}"#),
        "json: cannot unmarshal number into Go struct field GetterOptionsV1.options.URL of type string"
    );
    assert_eq!(
        err_of::<getter::Input>(r#"{"options":"x"}"#),
        "json: cannot unmarshal string into Go struct field InputMessageGetterV1.options of type schema.GetterOptionsV1"
    );
    assert_eq!(
        err_of::<getter::Input>(r#"{"options":{"Timeout":1.5}}"#),
        "json: cannot unmarshal number 1.5 into Go struct field GetterOptionsV1.options.Timeout of type time.Duration"
    );
    let ok: Result<getter::Input, _> = from_json(br#"{"options":{"timeout":5000000000}}"#);
    assert_eq!(
        ok.map(|i| i.options.timeout_duration()),
        Ok(Some(std::time::Duration::from_secs(5)))
    );
}

#[test]
fn cli_output_accepts_only_what_helm_accepts() {
    for ok in [
        "{}",
        "null",
        r#"{"data":null}"#,
        r#"{"data":{}}"#,
        r#"{"data":{"x":1}}"#,
        r#"{"other":"x"}"#,
    ] {
        assert!(from_json::<cli::Output>(ok.as_bytes()).is_ok(), "{ok}");
    }
    assert_eq!(
        err_of::<cli::Output>(r#"{"data":"x"}"#),
        "json: cannot unmarshal string into Go struct field OutputMessageCLIV1.data of type bytes.Buffer"
    );
    assert_eq!(
        err_of::<cli::Output>(r#""ok""#),
        "json: cannot unmarshal string into Go value of type schema.OutputMessageCLIV1"
    );
    assert_eq!(err_of::<cli::Output>(""), "unexpected end of JSON input");
    assert_eq!(
        err_of::<cli::Output>("{\"data\":"),
        "unexpected end of JSON input"
    );
    assert_eq!(wire(&cli::Output::default()), "{}");
}

#[test]
fn syntax_errors_win_over_type_errors() {
    // Go validates the whole input before decoding.
    let e = err_of::<test::Output>(r#"{"Greeting":1} x"#);
    assert!(!e.contains("cannot unmarshal"), "{e}");
}

#[test]
fn postrenderer_carries_manifests_as_a_string() {
    let input = postrenderer::Input {
        manifests: "a: <b>\n".into(),
        extra_args: vec!["x".into()],
    };
    assert_eq!(
        wire(&input),
        r#"{"manifests":"a: \u003cb\u003e\n","extraArgs":["x"]}"#
    );
    let out: Result<postrenderer::Output, _> = from_json(br#"{"Manifests":"kind: A\n"}"#);
    assert_eq!(out.map(|o| o.manifests), Ok("kind: A\n".to_owned()));
    // Helm's Buffer shape is not rudder's protocol.
    assert_eq!(
        err_of::<postrenderer::Output>(r#"{"manifests":{}}"#),
        "json: cannot unmarshal object into Go struct field OutputMessagePostRendererV1.manifests of type string"
    );
}

#[test]
fn list_elements_follow_go() {
    let v: Result<cli::Input, _> = from_json(br#"{"extraArgs":["a",null,"b"]}"#);
    assert_eq!(
        v.map(|i| i.extra_args),
        Ok(vec!["a".to_owned(), String::new(), "b".to_owned()])
    );
    assert_eq!(
        err_of::<cli::Input>(r#"{"extraArgs":[1]}"#),
        "json: cannot unmarshal number into Go struct field InputMessageCLIV1.extraArgs of type string"
    );
}

#[test]
fn serde_deserialize_uses_go_rules_too() {
    let v: Result<test::Output, _> = serde_json::from_str(r#"{"GREETING":"x"}"#);
    assert_eq!(
        v.map(|o| o.greeting).map_err(|e| e.to_string()),
        Ok("x".to_owned())
    );
}
