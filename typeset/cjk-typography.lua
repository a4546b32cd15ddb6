-- The Chinese edition's spacing and emphasis (../shared/WRITING.md, "Chinese"), in the HTML
-- and the PDF, whatever spacing the source happens to have:
--
-- * A line break in the source after Chinese punctuation, or between two Chinese characters,
--   is no space in the output (browsers and Typst show Pandoc's soft break as one). A break
--   between a Chinese character and a Latin word, a number or code stays a space.
-- * No space before or after a full-width mark (，。；：？！、（）“”——《》…), including
--   where the space stands between a cross-reference, code or a formula and the mark
--   ("表 2.1。", "式 (1.5)，", "：`vae-bce`").
-- * A cross-reference whose label is Chinese (图 5.3, 表 2.1, 式 (1.5)) is not set off from
--   the Chinese before it ("见图 5.3"); the space between its number and Chinese after it stays.
-- * No space between a number and % ("13.1%"): a space lets the sign wrap onto its own line.
-- * Emphasis is bold: Chinese has no italics, and browsers slant the characters instead.

local function cjk_punctuation(code)
  return (code >= 0x3000 and code <= 0x303F) or (code >= 0xFF00 and code <= 0xFFEF)
    or code == 0x2014 or code == 0x2026 or code == 0x201C or code == 0x201D
end

local function cjk(code)
  return cjk_punctuation(code) or (code >= 0x3400 and code <= 0x9FFF)
end

-- Cross-references whose rendered text starts with a Chinese label (图, 表, 式, ...), unless
-- the prefix is suppressed (-@).
local CHINESE_LABELLED = {fig = true, tbl = true, eq = true, lst = true}

local function crossref_kind(cite)
  local id = cite.citations[1] and cite.citations[1].id or ""
  return id:match("^(%a+)%-")
end

-- The first and last characters a reader sees of an inline, as code points (nil when unknown
-- or not text: code, math). A cross-reference shows a label and a number, a citation an
-- opening bracket and a year.
local function visible_ends(inline)
  if inline.t == "Code" or inline.t == "Math" then
    return nil, nil
  end
  if inline.t == "Cite" then
    local kind = crossref_kind(inline)
    if kind and CHINESE_LABELLED[kind] and inline.citations[1].mode ~= "SuppressAuthor" then
      return 0x56FE, 0x30  -- a Chinese label first (图), a digit last
    end
    return 0x30, 0x30
  end
  local text = pandoc.utils.stringify(inline)
  if text == "" then
    return nil, nil
  end
  return utf8.codepoint(text, 1), utf8.codepoint(text, utf8.offset(text, -1))
end

local function is_space(inline)
  return inline.t == "Space" or inline.t == "SoftBreak"
end

local function removable(before, after, space)
  local _, last = visible_ends(before)
  local first = visible_ends(after)
  -- A full-width mark takes no space beside anything, code and formulas included ("：`vae-bce`").
  if (last and cjk_punctuation(last)) or (first and cjk_punctuation(first)) then
    return true
  end
  if not last or not first then
    return false
  end
  if space.t == "SoftBreak" and cjk(last) and cjk(first) then
    return true
  end
  -- 见 图 5.3: the label is Chinese, so no space sets it off from the Chinese before it.
  if after.t == "Cite" and first == 0x56FE and cjk(last) then
    return true
  end
  -- 13.1 %: a number and its percent sign.
  if after.t == "Str" and after.text:match("^[%%％]") and before.t == "Str" and before.text:match("%d$") then
    return true
  end
  return false
end

function Inlines(inlines)
  for i = #inlines - 1, 2, -1 do
    if is_space(inlines[i]) and removable(inlines[i - 1], inlines[i + 1], inlines[i]) then
      inlines:remove(i)
    end
  end
  return inlines
end

function Emph(el)
  return pandoc.Strong(el.content)
end
