-- A line break in the source after Chinese punctuation, or between two Chinese characters,
-- is no space in the output: browsers and Typst would show Pandoc's soft break as one. A
-- break between a Chinese character and a Latin word, a number or code stays a space, as
-- the Chinese edition writes them.

local function cjk_punctuation(code)
  return (code >= 0x3000 and code <= 0x303F) or (code >= 0xFF00 and code <= 0xFFEF)
end

local function cjk(code)
  return cjk_punctuation(code) or (code >= 0x3400 and code <= 0x9FFF)
end

-- The text an inline shows (code has none that counts: it is never Chinese here).
local function text_of(inline)
  if inline.t == "Code" or inline.t == "Math" then
    return ""
  end
  return pandoc.utils.stringify(inline)
end

local function last_code(text)
  local at = text ~= "" and utf8.offset(text, -1)
  return at and utf8.codepoint(text, at)
end

local function first_code(text)
  return text ~= "" and utf8.codepoint(text, 1)
end

function Inlines(inlines)
  for i = #inlines - 1, 2, -1 do
    if inlines[i].t == "SoftBreak" then
      local before, after = last_code(text_of(inlines[i - 1])), first_code(text_of(inlines[i + 1]))
      if before and (cjk_punctuation(before) or (cjk(before) and after and cjk(after))) then
        inlines:remove(i)
      end
    end
  end
  return inlines
end
