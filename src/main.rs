fn main() {
    leptos::mount::mount_to_body(doorstep::app::App);
    doorstep::browser::mark("doorstep:mounted");
}
