'use strict';
// A list cell the stylesheet cut short (an ellipsis) shows its full text on
// hover, and a screen reader's users get it too: admin_layout.css cuts, this
// names what was cut.
{
    const titleCutCells = () => {
        for (const cell of document.querySelectorAll('#result_list td, #result_list tbody th')) {
            const text = cell.textContent.trim();
            if (!text || cell.hasAttribute('title')) {
                continue;
            }
            if (cell.scrollWidth > cell.clientWidth + 1) {
                cell.setAttribute('title', text);
            }
        }
    };
    window.addEventListener('load', titleCutCells);
    window.addEventListener('resize', titleCutCells);
}
