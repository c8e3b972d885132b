"""`gazette import`: a Word 公文 (.docx) turned into a content file.

package.py checks the file as an untrusted archive; layout.py reads the alignment, sizes and tables that
pandoc does not keep; convert.py runs pandoc through pypandoc; patterns.py knows the written forms of the
parts; lift.py takes the parts out of the text; command.py writes the files and says what it did
(`gazette.word.command.import_command`, which the CLI calls).
"""
