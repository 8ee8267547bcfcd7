// Menu "Tools > Hyworld > Generate and Import...": runs `hyworld gen ... --target unity --json`,
// reads the manifest it prints, copies the FBX, its textures and the manifest into
// Assets/Hyworld/<asset_name>/ and imports them. HyworldPostprocessor then applies the
// manifest (colliders, LOD transitions, lightmap UVs, ORM wiring).
//
// Put this folder (Editor/) anywhere under Assets/. The `hyworld` command must be on PATH,
// or set its full path in the window (saved in EditorPrefs).
using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using UnityEditor;
using UnityEngine;

namespace Hyworld.Editor
{
    public class HyworldImporter : EditorWindow
    {
        const string CliPrefKey = "Hyworld.CliPath";
        const string AssetRoot = "Assets/Hyworld";

        string prompt = "a small village with three houses and a few trees";
        string assetName = "hyworld_asset";
        int seed;

        [MenuItem("Tools/Hyworld/Generate and Import...")]
        static void Open() => GetWindow<HyworldImporter>("Hyworld");

        void OnGUI()
        {
            EditorGUILayout.LabelField("Prompt");
            prompt = EditorGUILayout.TextArea(prompt, GUILayout.MinHeight(60));
            assetName = EditorGUILayout.TextField("Asset name", assetName);
            seed = EditorGUILayout.IntField("Seed", seed);
            var cli = EditorGUILayout.TextField("hyworld command", EditorPrefs.GetString(CliPrefKey, "hyworld"));
            EditorPrefs.SetString(CliPrefKey, cli);
            if (GUILayout.Button("Generate and Import"))
            {
                try
                {
                    var folder = GenerateAndImport(prompt, assetName, seed, cli);
                    EditorUtility.DisplayDialog("Hyworld", "Imported into " + folder, "OK");
                }
                catch (Exception e)
                {
                    UnityEngine.Debug.LogException(e);
                    EditorUtility.DisplayDialog("Hyworld failed", e.Message, "OK");
                }
                finally
                {
                    EditorUtility.ClearProgressBar();
                }
            }
        }

        /// Runs the CLI and imports its output; returns the Assets/ folder it filled.
        public static string GenerateAndImport(string promptText, string name, int seed, string cli = "hyworld")
        {
            var outRoot = Path.GetFullPath(Path.Combine(Application.dataPath, "..", "Temp", "Hyworld"));
            Directory.CreateDirectory(outRoot);
            var promptFile = Path.Combine(outRoot, "prompt.txt");
            File.WriteAllText(promptFile, promptText, new UTF8Encoding(false));

            EditorUtility.DisplayProgressBar("Hyworld", "Generating (hyworld gen)...", 0.1f);
            var json = RunCli(cli, new[]
            {
                "gen", promptFile, "--target", "unity", "--json", "--out", outRoot,
                "--name", name, "--seed", seed.ToString(), "--force",
            });
            var manifest = Manifest.Parse(json);
            if (manifest.target != "unity")
                throw new Exception("expected a Unity build, got target " + manifest.target);
            var source = Path.Combine(outRoot, manifest.asset_name);
            var folder = AssetRoot + "/" + manifest.asset_name;
            Directory.CreateDirectory(folder);

            EditorUtility.DisplayProgressBar("Hyworld", "Copying textures...", 0.6f);
            // The manifest first: the postprocessor reads it while the textures and the FBX import.
            File.WriteAllText(Path.Combine(folder, Manifest.FileName), json, new UTF8Encoding(false));
            string fbx = null;
            foreach (var f in manifest.files)
            {
                if (f.role == "texture")
                    File.Copy(Path.Combine(source, f.path), Path.Combine(folder, Path.GetFileName(f.path)), true);
                else if (f.role == "fbx")
                    fbx = f.path;
            }
            if (fbx == null) throw new Exception("the manifest lists no FBX file (is the unity preset writing FBX?)");
            WriteMaskMaps(manifest, folder);
            AssetDatabase.Refresh();  // textures import now, with the postprocessor's settings

            EditorUtility.DisplayProgressBar("Hyworld", "Importing the FBX...", 0.8f);
            var fbxAsset = folder + "/" + Path.GetFileName(fbx);
            File.Copy(Path.Combine(source, fbx), fbxAsset, true);
            AssetDatabase.ImportAsset(fbxAsset, ImportAssetOptions.ForceUpdate);
            return folder;
        }

        /// Repacks each ORM texture (R occlusion, G roughness, B metallic) into Unity's mask layout:
        /// R metallic, G occlusion, B 0, A smoothness = 1 - roughness. Built-in Standard and URP Lit read
        /// it as _MetallicGlossMap (R, A) and _OcclusionMap (G); HDRP Lit reads it as _MaskMap.
        static void WriteMaskMaps(Manifest manifest, string folder)
        {
            foreach (var m in manifest.materials)
            {
                if (string.IsNullOrEmpty(m.orm_texture)) continue;
                var ormPath = Path.Combine(folder, m.orm_texture + ".png");
                if (!File.Exists(ormPath)) continue;
                var orm = new Texture2D(2, 2, TextureFormat.RGBA32, false, true);
                orm.LoadImage(File.ReadAllBytes(ormPath));
                var src = orm.GetPixels32();
                var dst = new Color32[src.Length];
                for (int i = 0; i < src.Length; i++)
                {
                    byte occlusion = m.occlusion_from_orm ? src[i].r : (byte)255;
                    dst[i] = new Color32(src[i].b, occlusion, 0, (byte)(255 - src[i].g));
                }
                var mask = new Texture2D(orm.width, orm.height, TextureFormat.RGBA32, false, true);
                mask.SetPixels32(dst);
                File.WriteAllBytes(Path.Combine(folder, Manifest.MaskMapName(m.orm_texture) + ".png"), mask.EncodeToPNG());
                DestroyImmediate(orm);
                DestroyImmediate(mask);
            }
        }

        // Each argument goes to `hyworld` as it is, through ProcessStartInfo.ArgumentList (no shell, no
        // quoting of ours to get wrong: a prompt path with spaces, quotes or backslashes arrives whole).
        // ArgumentList needs the .NET Standard 2.1 API (Unity 2021.2 or later).
        static string RunCli(string cli, string[] args)
        {
            var info = new ProcessStartInfo(cli)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var a in args) info.ArgumentList.Add(a);
            using (var process = Process.Start(info))
            {
                if (process == null) throw new Exception("could not start " + cli);
                var stderr = new StringBuilder();
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) stderr.AppendLine(e.Data); };
                process.BeginErrorReadLine();  // drain stderr (progress) so the CLI never blocks on a full pipe
                var stdout = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                // exit codes: 2 bad input, 3 resource limit, 1 bug (see `hyworld --help`)
                if (process.ExitCode != 0)
                    throw new Exception("hyworld failed (exit " + process.ExitCode + "):\n" + stderr);
                return stdout;
            }
        }
    }
}
