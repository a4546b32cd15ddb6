-- The PDF (Typst) only.
--
-- The "Appendices" divider: Quarto's book gives it a heading of its own, which the orange-book
-- template sets on a page of its own with nothing else on it. The divider is replaced by what
-- it does besides: the rule that letters the chapters after it (A, B), followed by the book's
-- own heading numbering (typst-book.typ), which that rule would otherwise replace.
--
-- Apostrophes: Pandoc writes a typographic apostrophe as Typst's smart quote ', which after a
-- digit Typst sets as a prime (course report 000′s). It is written as the character itself.

local function appendices(el)
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
    return pandoc.RawBlock("typst", '#show: appendices.with("' .. title .. '", hide-parent: true)\n'
      .. "#set heading(numbering: ld-heading-numbering)")
  end
end

local APOSTROPHE = "\u{2019}"

local function apostrophes(el)
  if not el.text:find(APOSTROPHE, 1, true) then
    return nil
  end
  local parts, rest = {}, el.text
  while true do
    local at = rest:find(APOSTROPHE, 1, true)
    if not at then break end
    if at > 1 then table.insert(parts, pandoc.Str(rest:sub(1, at - 1))) end
    table.insert(parts, pandoc.RawInline("typst", APOSTROPHE))
    rest = rest:sub(at + #APOSTROPHE)
  end
  if rest ~= "" then table.insert(parts, pandoc.Str(rest)) end
  return parts
end

return {
  {Div = appendices},
  {Str = apostrophes},
}
