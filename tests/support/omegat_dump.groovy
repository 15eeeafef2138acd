// Run by OmegaT (--script) on project events in console mode: writes what
// OmegaT made of the project to omegat-view.json in the project folder: the
// segments of every source file with their translation, the entries its own
// glossary readers get from each file in glossary/, and its loaded TMs.
import org.omegat.core.Core
import groovy.json.JsonOutput

if (eventType.toString() != "LOAD") return
def project = Core.getProject()
def props = project.getProjectProperties()
def entries = project.getAllEntries().collect { e ->
    [file: e.getKey().file, src: e.getSrcText(), tr: project.getTranslationInfo(e)?.translation]
}
def glossaries = [:]
new File(props.getGlossaryRoot()).eachFile { f ->
    try {
        def name = f.name.toLowerCase()
        def list = name.endsWith(".tbx") ? org.omegat.gui.glossary.GlossaryReaderTBX.read(f, false)
            : name.endsWith(".csv") ? org.omegat.gui.glossary.GlossaryReaderCSV.read(f, false)
            : org.omegat.gui.glossary.GlossaryReaderTSV.read(f, false)
        glossaries[f.name] = [entries: list.collect { g ->
            [src: g.getSrcText(), loc: g.getLocText(), comment: g.getCommentText()] }]
    } catch (Throwable t) {
        glossaries[f.name] = [error: t.toString()]
    }
}
def tms = [:]
project.getTransMemories().each { k, v ->
    tms[new File(k).name] = v.getEntries().collect { t -> [t.source, t.translation] }
}
new File(props.getProjectRoot(), "omegat-view.json").setText(
    JsonOutput.toJson([entries: entries, glossaries: glossaries, tms: tms]), "UTF-8")
