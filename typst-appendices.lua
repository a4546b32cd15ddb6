-- The PDF's "Appendices" divider. Quarto's book gives it a heading of its own, which the
-- orange-book template sets on a page of its own with nothing else on it. The divider is
-- replaced by what it does besides: the rule that letters the chapters after it (A, B).
function Div(el)
  if not el.classes:includes("quarto-book-part") then
    return nil
  end
  local title
  el:walk({Header = function(heading)
    if heading.level == 1 and heading.classes:includes("unnumbered") then
      title = pandoc.utils.stringify(heading)
    end
  end})
  if title then
    return pandoc.RawBlock("typst", '#show: appendices.with("' .. title .. '", hide-parent: true)')
  end
end
