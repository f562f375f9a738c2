//! A horizontal bar chart: one row per bar, the label and the number as text beside an
//! inline SVG bar. Screen readers read the table; the text grows with the font size.

use doorstep_core::i18n::Text;
use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn BarChart(
    id: &'static str,
    title: Text,
    #[prop(into)] rows: Signal<Vec<(String, u64)>>,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{tr(title)}</figcaption>
            <table class="bars" aria-labelledby=title_id>
                <tbody>
                    {move || {
                        let rows = rows.get();
                        let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
                        rows.into_iter().map(|(label, n)| {
                            // At least a sliver for a non-zero count, so it is seen.
                            let width = if n == 0 { 0 } else { (n * 100 / max).max(2) };
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td class="bar">
                                        <svg aria-hidden="true" viewBox="0 0 100 10" preserveAspectRatio="none"
                                            width="100%" height="16" focusable="false">
                                            <rect x="0" y="0" width=width.to_string() height="10"/>
                                        </svg>
                                    </td>
                                    <td class="num">{n}</td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </figure>
    }
}
